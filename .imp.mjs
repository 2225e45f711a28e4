const runs = [];
for (let i = 0; i < 1; i++) { const t = performance.now(); await import('@statalog/eslint-plugin'); runs.push(performance.now() - t); }
console.log(runs.map((r) => r.toFixed(0)).join(' '));
