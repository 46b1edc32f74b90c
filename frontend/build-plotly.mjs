// Builds ../static/vendor/plotly/plotly-cx.min.js from plotly-cx.js with esbuild,
// as plotly.js's own bundles are built (its esbuild-config.js), and copies
// plotly.js's LICENSE beside it. Run by `make plotly-bundle`.
import { readFileSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const plotlyDir = dirname(require.resolve('plotly.js/package.json'));
const { version } = JSON.parse(readFileSync(join(plotlyDir, 'package.json'), 'utf8'));
const traces = ['scatter (in core)', 'bar', 'heatmap', 'scatterpolar', 'indicator'];
const outDir = join(here, '..', 'static', 'vendor', 'plotly');

// The Python figures must be drawn by the plotly.js the plotly package bundles.
const expected = process.env.PLOTLY_JS_VERSION;
if (expected && expected !== version) {
    console.error(`plotly.js ${version} is installed, but the plotly Python package bundles ${expected}: ` +
        'set the same version in frontend/package.json and run npm install.');
    process.exit(1);
}

// plotly.js's own bundles drop the attribute descriptions (documentation for the
// schema, never used to draw) with these regular expressions, from its
// tasks/compress_attributes.js (which the npm package does not ship).
const metaAttributes = [
    ['description', ": '.*'"],
    ['description', ': \\[[\\s\\S]*?\\]\\.join\\([\\s\\S]*?\\)'],
    ['requiredOpts', ': \\[[\\s\\S]*?\\]'],
    ['otherOpts', ': \\[[\\s\\S]*?\\]'],
    ['role', ": '.*'"],
    ['hrName', ": '.*'"],
].map(([attr, value]) => new RegExp(`\\s*${attr}${value},?`, 'g'));
const stripMetaAttributes = {
    name: 'strip-meta-attributes',
    setup(build) {
        build.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, (args) => ({
            contents: metaAttributes.reduce(
                (code, regex) => code.replace(regex, ''),
                readFileSync(args.path, 'utf8'),
            ),
            loader: 'js',
        }));
    },
};

mkdirSync(outDir, { recursive: true });
await build({
    entryPoints: [join(here, 'plotly-cx.js')],
    outfile: join(outDir, 'plotly-cx.min.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    target: 'es2016',
    // The licences of plotly.js's dependencies, at the end of the file.
    legalComments: 'eof',
    // plotly.js's registry requires maplibre-gl's stylesheet for map traces only
    // (which this bundle leaves out); plotly.js's build inlines it, this one drops it.
    loader: { '.css': 'empty' },
    plugins: [stripMetaAttributes],
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    banner: {
        js: [
            '/**',
            `* plotly.js v${version}, partial bundle: ${traces.join(', ')}`,
            '* Built by frontend/build-plotly.mjs (make plotly-bundle) from the npm package plotly.js.',
            '* Copyright 2012-2026, Plotly, Inc. All rights reserved.',
            '* Licensed under the MIT license (see LICENSE beside this file)',
            '*/',
        ].join('\n'),
    },
    logLevel: 'info',
});
copyFileSync(join(plotlyDir, 'LICENSE'), join(outDir, 'LICENSE'));

// plotly.js adds its stylesheet as an inline <style>, which the site's
// Content-Security-Policy blocks (README, "Content-Security-Policy"). The chart
// pages link this file instead, under the id and class that tell plotly.js not
// to (static/js/charts.js): the same rules, in the order plotly.js ends up with
// them (it inserts each one first).
const plotcss = readFileSync(join(plotlyDir, 'build', 'plotcss.js'), 'utf8');
// An object literal (not JSON: some keys are bare), read in an empty context.
const rules = Object.entries(runInNewContext(`(${plotcss.match(/var rules = (\{[\s\S]*?\n\});/)[1]})`));
writeFileSync(
    join(outDir, 'plotly-cx.css'),
    `/* plotly.js v${version}'s stylesheet (build/plotcss.js), written by frontend/build-plotly.mjs. */\n` +
        rules
            .reverse()
            .map(([selector, declarations]) => {
                const full = selector
                    .replace(/^,/, ' ,')
                    .replace(/X/g, '.js-plotly-plot .plotly')
                    .replace(/Y/g, '.plotly-notifier');
                return `${full} {${declarations}}\n`;
            })
            .join(''),
);
