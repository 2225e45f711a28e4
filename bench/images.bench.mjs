#!/usr/bin/env node
// The image benchmark: statalog-scan on a `docker save` tarball vs the equivalent work with standard tools,
// `tar -xOf image.tar | rg -a …` (every layer's bytes through ripgrep; ripgrep does not open the layers, so it does
// less work than the scanner, which lists each layer's entries and searches each file with its own name).
//
// Builds (once, deterministically) a ~200 MB image under .bench/images: five uncompressed layers of generated
// source, config and minified files (as Docker 25+ writes them: blobs/sha256/…, manifest.json, index.json), with a
// few planted keys — one in a file a later layer deletes. Goal: ≤ 3× the tar | rg pipeline.
// Options: --runs N (default 5), --mb N (image size, default 200), --regenerate.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { alternate, ensureRipgrep, flag, measure, median, numberOption, root, seeded } from './lib.mjs';

const benchDir = join(root, '.bench', 'images');
const image = join(benchDir, 'image.tar');
const marker = join(benchDir, 'complete.json');
const GENERATOR_VERSION = 1;
const runs = numberOption('--runs', 5);
const targetMb = numberOption('--mb', 200);

const { int, pick, hex } = seeded(20261201);
const WORDS =
  'user account session request response handler service client server config value item list state status result error event message query cache token order product page site visit'.split(
    ' ',
  );
const line = () => {
  const w = () => pick(WORDS);
  switch (int(5)) {
    case 0:
      return `export function ${w()}_${w()}(${w()}, ${w()}) { return ${w()}.${w()}(${int(1000)}); }`;
    case 1:
      return `${w().toUpperCase()}_${w().toUpperCase()}=${w()}-${int(1e6)}`;
    case 2:
      return `  "${w()}_${w()}": "${w()} ${w()} ${w()}",`;
    case 3:
      return `# ${w()} ${w()} ${w()} ${w()} ${w()}`;
    default:
      return `const ${w()}${int(100)} = await fetch(\`/api/v1/${w()}?limit=${int(100)}\`);`;
  }
};
const fileOf = (size) => {
  const lines = [];
  for (let n = 0; n < size;) {
    const l = line();
    lines.push(l);
    n += l.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
};

// a minimal ustar writer: names under 100 bytes, regular files only
function header(name, size) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('14500000000\0', 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\0' + '00', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}
const pad = (size) => Buffer.alloc((512 - (size % 512)) % 512);
function tarOf(entries) {
  const parts = [];
  for (const [name, data] of entries) parts.push(header(name, data.length), data, pad(data.length));
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function generate() {
  rmSync(benchDir, { recursive: true, force: true });
  mkdirSync(benchDir, { recursive: true });
  const layerBytes = (targetMb * 1024 * 1024) / 5;
  const layers = [];
  let planted = 0;
  for (let l = 0; l < 5; l++) {
    const entries = [];
    let size = 0;
    for (let i = 0; size < layerBytes; i++) {
      let data = fileOf(2000 + int(30000));
      if (i % 900 === 450) {
        data = Buffer.concat([
          data,
          Buffer.from(i % 1800 === 450 ? `const key = "st_${hex(64)}";\n` : `STATALOG_API_KEY=${hex(64)}\n`),
        ]);
        planted++;
      }
      entries.push([
        `usr/src/app/l${l}/${pick(WORDS)}/${pick(WORDS)}-${i}.${pick(['js', 'ts', 'env', 'json', 'py'])}`,
        data,
      ]);
      size += data.length + 512;
    }
    if (l === 0) entries.push(['app/.env', Buffer.from(`STATALOG_API_KEY=${hex(64)}\n`)]);
    if (l === 3) entries.push(['app/.wh..env', Buffer.alloc(0)]);
    layers.push(tarOf(entries));
  }
  const digest = (b) => createHash('sha256').update(b).digest('hex');
  const config = Buffer.from(
    JSON.stringify({ os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map((b) => `sha256:${digest(b)}`) } }),
  );
  const fd = openSync(image, 'w');
  const put = (name, data) => {
    writeSync(fd, header(name, data.length));
    writeSync(fd, data);
    writeSync(fd, pad(data.length));
  };
  put(`blobs/sha256/${digest(config)}`, config);
  for (const layer of layers) put(`blobs/sha256/${digest(layer)}`, layer);
  put(
    'manifest.json',
    Buffer.from(
      JSON.stringify([
        {
          Config: `blobs/sha256/${digest(config)}`,
          RepoTags: ['bench:latest'],
          Layers: layers.map((b) => `blobs/sha256/${digest(b)}`),
        },
      ]),
    ),
  );
  writeSync(fd, Buffer.alloc(1024));
  closeSync(fd);
  writeFileSync(
    marker,
    JSON.stringify({
      version: GENERATOR_VERSION,
      mb: targetMb,
      bytes: layers.reduce((n, b) => n + b.length, 0),
      planted: planted + 1,
    }),
  );
}

const existing = existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : undefined;
if (!existing || existing.version !== GENERATOR_VERSION || existing.mb !== targetMb || flag('--regenerate')) {
  console.log(`generating a ${targetMb} MB image under ${benchDir} (once)…`);
  generate();
}
const info = JSON.parse(readFileSync(marker, 'utf8'));
ensureRipgrep();

const scanner = () =>
  measure(
    process.execPath,
    [
      join(root, 'packages', 'scan', 'bin', 'statalog-scan.js'),
      '--format',
      'json',
      '--archive-max-size',
      '4G',
      'image.tar',
    ],
    { cwd: benchDir, rss: true },
  );
// the same work with standard tools: every layer's bytes out of the tarball, through ripgrep
const pipeline = () =>
  measure('sh', ['-c', "tar -xOf image.tar | rg -a -c -e 'st_[0-9a-f]{64}' -e 'api_key=' -e '(?i)statalog_api_key'"], {
    cwd: benchDir,
  });

console.log(
  `image: ${(info.bytes / 1e6).toFixed(0)} MB in 5 layers (${info.planted} planted keys); ${runs} runs each, alternating`,
);
const loadBefore = loadavg()[0];
scanner();
pipeline();
const [ourRuns, theirRuns] = alternate(runs, scanner, pipeline);
const ours = median(ourRuns.map((m) => m.ms));
const theirs = median(theirRuns.map((m) => m.ms));
const peak = Math.max(0, ...ourRuns.map((m) => m.rssMb));
console.log(
  `statalog-scan: median ${ours.toFixed(0)} ms (${(info.bytes / 1e6 / (ours / 1000)).toFixed(0)} MB/s), peak RSS ${peak.toFixed(0)} MB`,
);
console.log(`tar -xOf | rg: median ${theirs.toFixed(0)} ms`);
console.log(`ratio: ${(ours / theirs).toFixed(2)}x (goal ≤ 3x)`);
const loadAfter = loadavg()[0];
console.log(
  `load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after${loadAfter > 1 ? ' — the machine was busy; figures are noisy' : ''}`,
);
