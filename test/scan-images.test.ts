/**
 * Container images through the built CLI: a `docker save` tarball (the OCI-in-tar layout Docker 25+ writes,
 * and the older `<id>/layer.tar` one), an OCI image layout directory, and `docker save app | statalog-scan -`.
 * Every layer is searched — a file a later layer deletes (a `.wh.` whiteout) is still in the image, and so
 * is its key — and the image config (its `Env`) too. Images are built by hand with Python's tarfile.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTar, positionOf, sha256, type SpecEntry } from './helpers/archives.js';
import { cloudKey, communityValue, leakedSecrets } from './helpers/keys.js';
import { scan, scanJson } from './helpers/scan.js';
import { TempTree } from './helpers/tmp.js';

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree('statalog-images-');
});
afterEach(() => tree.cleanup());

interface Image {
  keys: { env: string; bundle: string; config: string };
  /** Texts planted, to compute expected positions. */
  envText: string;
  bundleText: string;
  configText: string;
  layers: Buffer[];
  config: Buffer;
}

/** Two layers: the first adds app/.env (with a key), the second deletes it (whiteout) and adds a bundle. */
function image(): Image {
  const keys = { env: communityValue(), bundle: cloudKey(), config: cloudKey() };
  const envText = `APP_ENV=production\nSTATALOG_API_KEY=${keys.env}\n`;
  const bundleText = `!function(){var e={apiKey:"${keys.bundle}",site:"ST-A1B2C3"};window.__st=e}();\n//# sourceMappingURL=main.js.map\n`;
  const base: SpecEntry[] = [
    { name: 'app/', data: '' },
    { name: 'app/.env', data: envText },
    { name: 'app/server.php', data: '<?php echo getenv("STATALOG_API_KEY");\n' },
    { name: 'bin/sh', symlink: '/bin/busybox' },
  ];
  const top: SpecEntry[] = [
    { name: 'app/.wh..env', data: '' },
    { name: 'app/public/main.js', data: bundleText },
  ];
  const layers = [makeTar(base), makeTar(top, { pax: true })];
  const configText = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin', `STATALOG_TOKEN=${keys.config}`], WorkingDir: '/app' },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => `sha256:${sha256(l)}`) },
  });
  return { keys, envText, bundleText, configText, layers, config: Buffer.from(configText) };
}

function expectImageFindings(
  findings: ReadonlyArray<{ file: string; line: number; column: number }>,
  img: Image,
  names: { config: string; base: string; top: string },
): void {
  const expected = [
    { file: names.config, ...positionOf(img.configText, img.keys.config) },
    { file: `${names.base}!app/.env`, ...positionOf(img.envText, img.keys.env) },
    { file: `${names.top}!app/public/main.js`, ...positionOf(img.bundleText, img.keys.bundle) },
  ].sort((a, b) => (a.file < b.file ? -1 : 1));
  expect(findings.map((f) => ({ file: f.file, line: f.line, column: f.column }))).toEqual(expected);
}

/** `docker save` as Docker 25+ writes it: an OCI layout in a tar, plus the classic manifest.json. */
function dockerSave(img: Image): { tar: Buffer; config: string; layers: string[] } {
  const layerDigests = img.layers.map(sha256);
  const configDigest = sha256(img.config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: `sha256:${configDigest}`,
        size: img.config.length,
      },
      layers: img.layers.map((l, i) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        digest: `sha256:${layerDigests[i]}`,
        size: l.length,
      })),
    }),
  );
  const manifestDigest = sha256(manifest);
  const tar = makeTar([
    { name: 'blobs/', data: '' },
    { name: 'blobs/sha256/', data: '' },
    { name: `blobs/sha256/${configDigest}`, data: img.config },
    ...img.layers.map((l, i) => ({ name: `blobs/sha256/${layerDigests[i]}`, data: l })),
    { name: `blobs/sha256/${manifestDigest}`, data: manifest },
    {
      name: 'index.json',
      data: JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            digest: `sha256:${manifestDigest}`,
            annotations: { 'io.containerd.image.name': 'docker.io/library/app:latest' },
          },
        ],
      }),
    },
    {
      name: 'manifest.json',
      data: JSON.stringify([
        {
          Config: `blobs/sha256/${configDigest}`,
          RepoTags: ['app:latest'],
          Layers: layerDigests.map((d) => `blobs/sha256/${d}`),
        },
      ]),
    },
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
  ]);
  return { tar, config: `blobs/sha256/${configDigest}`, layers: layerDigests.map((d) => `blobs/sha256/${d}`) };
}

describe('container images', () => {
  it('a docker save tarball: every layer, the whiteout-deleted .env included, and the config Env', async () => {
    const img = image();
    const saved = dockerSave(img);
    tree.write('app.tar', saved.tar);
    const { code, report } = await scanJson(['app.tar'], { cwd: tree.dir });
    expect(code).toBe(1);
    expectImageFindings(report.findings, img, {
      config: `app.tar!${saved.config}`,
      base: `app.tar!${saved.layers[0]}`,
      top: `app.tar!${saved.layers[1]}`,
    });
    // the base layer's symlink is a name, reported once for its layer
    expect(report.stats.skippedFiles).toEqual([
      {
        file: `app.tar!${saved.layers[0]}`,
        reason: expect.stringContaining('1 link in the archive') as string,
        error: false,
      },
    ]);
  });

  it('the classic docker save layout (<id>/layer.tar)', async () => {
    const img = image();
    const ids = img.layers.map((l) => sha256(Buffer.concat([l, Buffer.from('id')])));
    const tar = makeTar([
      { name: `${sha256(img.config)}.json`, data: img.config },
      ...img.layers.flatMap((l, i) => [
        { name: `${ids[i]}/VERSION`, data: '1.0' },
        { name: `${ids[i]}/json`, data: '{}' },
        { name: `${ids[i]}/layer.tar`, data: l },
      ]),
      {
        name: 'manifest.json',
        data: JSON.stringify([
          { Config: `${sha256(img.config)}.json`, RepoTags: ['app:1'], Layers: ids.map((id) => `${id}/layer.tar`) },
        ]),
      },
      { name: 'repositories', data: '{"app":{"1":"x"}}' },
    ]);
    tree.write('images/app-1.tar', tar);
    const { code, report } = await scanJson(['images'], { cwd: tree.dir });
    expect(code).toBe(1);
    expectImageFindings(report.findings, img, {
      config: `images/app-1.tar!${sha256(img.config)}.json`,
      base: `images/app-1.tar!${ids[0]}/layer.tar`,
      top: `images/app-1.tar!${ids[1]}/layer.tar`,
    });
  });

  it('an OCI image layout directory with gzipped layers: each blob is named by its digest', async () => {
    const img = image();
    const blobs = img.layers.map((l) => gzipSync(l));
    const digests = blobs.map(sha256);
    tree.write('oci/oci-layout', '{"imageLayoutVersion":"1.0.0"}');
    tree.write('oci/index.json', '{"schemaVersion":2,"manifests":[]}');
    tree.write(`oci/blobs/sha256/${sha256(img.config)}`, img.config);
    blobs.forEach((b, i) => tree.write(`oci/blobs/sha256/${digests[i]}`, b));
    const { code, report } = await scanJson(['oci'], { cwd: tree.dir });
    expect(code).toBe(1);
    expectImageFindings(report.findings, img, {
      config: `oci/blobs/sha256/${sha256(img.config)}`,
      base: `oci/blobs/sha256/${digests[0]}`,
      top: `oci/blobs/sha256/${digests[1]}`,
    });
  });

  it('docker save app | statalog-scan -: the same findings, under stdin; no key in any format', async () => {
    const img = image();
    const saved = dockerSave(img);
    const { code, report } = await scanJson(['-'], { cwd: tree.dir, input: saved.tar });
    expect(code).toBe(1);
    expectImageFindings(report.findings, img, {
      config: `stdin!${saved.config}`,
      base: `stdin!${saved.layers[0]}`,
      top: `stdin!${saved.layers[1]}`,
    });
    const keys = Object.values(img.keys);
    for (const format of ['text', 'sarif', 'github']) {
      const result = await scan(['--format', format, '-'], { cwd: tree.dir, input: saved.tar });
      expect(result.code, format).toBe(1);
      expect(leakedSecrets(result.stdout + result.stderr, keys), format).toEqual([]);
      expect(result.stdout, format).toContain(`stdin!${saved.layers[1]}!app/public/main.js`);
    }
  });

  it('standard input larger than the size cap: its start is searched, the rest reported (exit 2)', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x61);
    const { code, report } = await scanJson(['--archive-max-size', '2M', '-'], { cwd: tree.dir, input: big });
    expect(code).toBe(2);
    expect(report.stats.skippedFiles).toEqual([
      { file: 'stdin', reason: expect.stringContaining('larger than the size cap (2 MiB') as string, error: true },
    ]);
  });
});
