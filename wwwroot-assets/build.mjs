// Bundles src/app.js and src/designer/designer.js (ES modules) and src/app.css into ../src/BlazorOs.Web/wwwroot/dist.
//   node build.mjs          one minified build with source maps
//   node build.mjs --watch  rebuild on change (development)
// MSBuild runs this through Assets.targets; the Dockerfile runs it in its node stage.
import * as esbuild from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, '../src/BlazorOs.Web/wwwroot/dist');

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: here,
  entryPoints: ['src/app.js', 'src/app.css', 'src/designer/designer.js'],
  outdir,
  entryNames: '[name]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'info',
};

if (process.argv.includes('--watch')) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  try {
    await esbuild.build(options);
  } catch {
    // esbuild has already printed the errors (logLevel 'info'); skip Node's stack trace.
    process.exitCode = 1;
  }
}
