/**
 * catalog_pages (issue 17): the kiosk's full catalog pull at 10,000 items, in pages of
 * CATALOG_PAGE_SIZE (protocol 5) against the one answer a protocol 4 kiosk still gets, in the
 * same run on the same store: bytes per answer and the time of the whole pull (server side,
 * through the app's HTTP handling by inject; median of a few pulls). BENCH_ONLY=catalog.
 */
import { KIOSK_PROTOCOL_HEADER, type CatalogResponse } from '../../protocol/index.ts';
import { CATALOG_PAGE_SIZE } from '../../server/routes/kiosk.ts';
import { enrollKiosk, startFixture } from '../server/admin/fixture.ts';
import { msSince, percentile, round, type Row } from './stats.ts';

const ITEMS = 10_000;
const RUNS = 5;

export type CatalogPagesBench = {
  items: number;
  page_size: number;
  pages: number;
  page_kb_max: number;
  page_kb_mean: number;
  paged_total_kb: number;
  paged_pull_ms: number;
  v4_answer_kb: number;
  v4_pull_ms: number;
};

export async function benchCatalogPages(log: (msg: string) => void): Promise<CatalogPagesBench> {
  log(`catalog_pages: ${ITEMS} items, pages of ${CATALOG_PAGE_SIZE} (protocol 5) against one answer (4)`);
  const f = await startFixture({ logger: false });
  try {
    const kiosk = await enrollKiosk(f, 'bench');
    for (let i = 0; i < ITEMS; i++) {
      await f.deps.store.createItem({
        tag: `B-${String(i).padStart(5, '0')}`,
        name: `Canon EOS R6 Mark II 바디 ${i}`,
        category: ['Camera', 'Audio', 'Lighting', '노트북'][i % 4]!,
        loanDays: 7,
        restrictedTo: null,
        lockerSlot: i % 3 ? null : `L-${i % 40}`,
      });
    }
    const get = async (version: number, query: string) => {
      const res = await f.app.inject({
        method: 'GET',
        url: `/v1/catalog${query}`,
        headers: { authorization: await kiosk.auth(), [KIOSK_PROTOCOL_HEADER]: String(version) },
      });
      if (res.statusCode !== 200) throw new Error(`catalog: ${res.statusCode} ${res.body}`);
      return { bytes: res.rawPayload.length, body: res.json() as CatalogResponse };
    };
    const paged: number[] = [];
    const single: number[] = [];
    let sizes: number[] = [];
    let v4Bytes = 0;
    for (let run = 0; run < RUNS; run++) {
      // Each answer is one request as a kiosk makes it: its own signed device assertion.
      let t0 = process.hrtime.bigint();
      const v4 = await get(4, '');
      single.push(msSince(t0));
      if (v4.body.items.length !== ITEMS) throw new Error(`v4: ${v4.body.items.length} items`);
      v4Bytes = v4.bytes;

      sizes = [];
      let seen = 0;
      t0 = process.hrtime.bigint();
      let page = await get(5, '');
      for (;;) {
        sizes.push(page.bytes);
        seen += page.body.items.length;
        if (!page.body.next) break;
        page = await get(5, `?page=${encodeURIComponent(page.body.next)}`);
      }
      paged.push(msSince(t0));
      if (seen !== ITEMS) throw new Error(`paged: ${seen} items`);
    }
    const kb = (n: number) => round(n / 1024, 1);
    return {
      items: ITEMS,
      page_size: CATALOG_PAGE_SIZE,
      pages: sizes.length,
      page_kb_max: kb(Math.max(...sizes)),
      page_kb_mean: kb(sizes.reduce((a, b) => a + b, 0) / sizes.length),
      paged_total_kb: kb(sizes.reduce((a, b) => a + b, 0)),
      paged_pull_ms: round(percentile(paged, 50), 1),
      v4_answer_kb: kb(v4Bytes),
      v4_pull_ms: round(percentile(single, 50), 1),
    };
  } finally {
    await f.close();
  }
}

export function catalogPagesRows(r: CatalogPagesBench | { error: string }): Row[] {
  if ('error' in r) return [['catalog_pages', 'error', r.error, '-', '-', null]];
  return [
    [
      `catalog page, largest answer (${r.page_size} of ${r.items.toLocaleString('en')} items)`,
      `${r.page_kb_max} kB`,
      `${r.v4_answer_kb} kB one answer (v4)`,
      `${round(r.page_kb_max / r.v4_answer_kb, 3)}x`,
      '-',
      null,
    ],
    [
      `catalog full pull in ${r.pages} pages (median of ${RUNS})`,
      `${r.paged_pull_ms} ms, ${r.paged_total_kb} kB`,
      `${r.v4_pull_ms} ms one answer (v4)`,
      `${round(r.paged_pull_ms / r.v4_pull_ms, 2)}x`,
      '-',
      null,
    ],
  ];
}
