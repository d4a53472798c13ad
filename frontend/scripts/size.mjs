// Reports the size of the app's first load: the entry script and the
// chunks index.html preloads (what the browser fetches before the first
// route renders), raw and gzip, plus the largest lazy chunks.
//   node scripts/size.mjs [--max-kb=350]
import { readFileSync, readdirSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const dist = process.env.DIST ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const initial = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]))
const kb = (n) => (n / 1024).toFixed(1)

function size(file) {
  const buf = readFileSync(join(dist, file))
  return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length }
}

const first = [...initial].map(size)
const total = first.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 })
console.log('initial JS (entry + preloaded chunks):')
for (const f of first.sort((a, b) => b.gzip - a.gzip)) console.log(`  ${f.file.padEnd(60)} ${kb(f.raw).padStart(8)} KB  ${kb(f.gzip).padStart(7)} KB gzip`)
console.log(`  ${'total'.padEnd(60)} ${kb(total.raw).padStart(8)} KB  ${kb(total.gzip).padStart(7)} KB gzip`)

const lazy = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js') && !initial.has(`assets/${f}`))
  .map((f) => size(`assets/${f}`))
  .sort((a, b) => b.gzip - a.gzip)
console.log('largest lazy chunks:')
for (const f of lazy.slice(0, 8)) console.log(`  ${f.file.padEnd(60)} ${kb(f.raw).padStart(8)} KB  ${kb(f.gzip).padStart(7)} KB gzip`)

const max = Number((process.argv.find((a) => a.startsWith('--max-kb=')) ?? '').split('=')[1])
if (max && total.gzip / 1024 > max) {
  console.error(`initial JS is ${kb(total.gzip)} KB gzip, over the ${max} KB budget`)
  process.exit(1)
}
