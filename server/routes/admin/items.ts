/** Items: availability and holder, history, create / edit / retire, CSV export and import. */
import {
  AdminItemsPage,
  AppError,
  CreateItemRequest,
  IdParams,
  ImportItemsRequest,
  ItemCategoriesResponse,
  ItemListQuery,
  ImportItemsResponse,
  ItemDetailResponse,
  ItemResponse,
  SetItemConditionRequest,
  UpdateItemRequest,
  KIT_PARTS_SEPARATOR,
  kitPartHasSeparator,
  kitPartTooLong,
  normalizeKitParts,
} from '../../../protocol/index.ts';
import type { App } from '../../http/app-type.ts';
import { actorOf, changesOf } from '../../audit/record.ts';
import type { ItemWithHolder } from '../../store/admin-store.ts';
import { toCsv } from './csv.ts';
import { pageLimit, readCursor, writeCursor } from './list-paging.ts';
import { CsvText, ERRORS, type AdminFeatureOptions } from './guards.ts';
import { importItemsLegacy } from './import.ts';
import { itemPhotoRoutes } from './item-photos.ts';
import { presentCondition, presentItem, presentLoan } from './present.ts';

/** The item fields an edit may change (UpdateItemRequest), in the order an audit lists them. */
const ITEM_FIELDS = [
  'tag',
  'name',
  'category',
  'loanDays',
  'restrictedTo',
  'lockerSlot',
  'serial',
  'notes',
  'parts',
  'retired',
] as const satisfies readonly (keyof UpdateItemRequest)[];
type ItemField = (typeof ITEM_FIELDS)[number];

export async function itemRoutes(app: App, { deps, guards, record }: AdminFeatureOptions) {
  const { store } = deps;
  await app.register(itemPhotoRoutes, { deps, guards, record });

  /** A kit's parts as typed, kept as the kiosk will read them, or a typed refusal. */
  const kitParts = (parts: string[]): string[] => {
    const kept = normalizeKitParts(parts);
    if (kept.some(kitPartTooLong))
      throw new AppError('BAD_REQUEST', 'a part name is longer than 60 characters');
    if (kept.some(kitPartHasSeparator))
      throw new AppError(
        'BAD_REQUEST',
        `a part name holds '${KIT_PARTS_SEPARATOR}', which separates parts in CSV`,
      );
    return kept;
  };

  const createItem = async (body: CreateItemRequest) => {
    if (await store.findItemByTag(body.tag)) throw new AppError('ALREADY_EXISTS', 'tag already used');
    const item = await store.createItem({
      tag: body.tag,
      name: body.name,
      category: body.category,
      loanDays: body.loanDays,
      restrictedTo: body.restrictedTo ?? null,
      lockerSlot: body.lockerSlot ?? null,
      parts: kitParts(body.parts ?? []),
    });
    // Free text with no rule to break: this second write cannot be refused.
    if (body.serial || body.notes)
      return (await store.updateItem(item.id, { serial: body.serial ?? null, notes: body.notes ?? null }))!;
    return item;
  };

  app.get(
    '/v1/admin/items',
    {
      onRequest: guards.staff,
      schema: { querystring: ItemListQuery, response: { 200: AdminItemsPage, ...ERRORS } },
    },
    async (request) => {
      const query = request.query;
      const sort = query.sort ?? 'tag';
      const page = await store.itemList({
        ...(query.q ? { q: query.q } : {}),
        ...(query.category ? { category: query.category } : {}),
        status: query.status ?? 'active',
        sort,
        after: query.after ? readCursor(query.after) : null,
        limit: pageLimit(query.limit),
        now: deps.clock.now(),
      });
      return {
        items: page.items.map(presentItem),
        total: page.total,
        next: page.next ? writeCursor(page.next) : null,
      };
    },
  );

  app.get(
    '/v1/admin/item-categories',
    { onRequest: guards.staff, schema: { response: { 200: ItemCategoriesResponse, ...ERRORS } } },
    async () => ({ categories: await store.itemCategories() }),
  );

  app.get(
    '/v1/admin/items/:id',
    {
      onRequest: guards.staff,
      schema: { params: IdParams, response: { 200: ItemDetailResponse, ...ERRORS } },
    },
    async (request) => {
      const item = await store.findItemWithHolder(request.params.id);
      if (!item) throw new AppError('NOT_FOUND', 'no such item');
      const now = deps.clock.now();
      const history = await store.adminLoans({ status: 'all', now, itemId: item.id, limit: 200 });
      const conditions = await store.itemConditions(item.id);
      return {
        item: presentItem(item),
        history: history.map((l) => presentLoan(l, now)),
        conditions: conditions.map(presentCondition),
      };
    },
  );

  // Staff set an item's condition: clear a check ('ok'), or send it to repair, or mark it lost.
  app.post(
    '/v1/admin/items/:id/condition',
    {
      onRequest: guards.staff,
      schema: {
        params: IdParams,
        body: SetItemConditionRequest,
        response: { 200: ItemResponse, ...ERRORS },
      },
    },
    async (request) => {
      const { condition, note } = request.body;
      const item = await store.findItemWithHolder(request.params.id);
      if (!item) throw new AppError('NOT_FOUND', 'no such item');
      await store.setItemCondition({
        itemId: item.id,
        at: deps.clock.now(),
        condition,
        report: null,
        note,
        by: { kind: 'user', name: request.user!.displayName },
        txId: null,
      });
      await record(request, {
        action: 'item.condition',
        targetKind: 'item',
        targetId: item.id,
        detail: `${item.tag} ${item.name}: ${item.condition} -> ${condition}: ${note}`,
        changes: [{ field: 'condition', before: item.condition, after: condition }],
      });
      return { item: presentItem((await store.findItemWithHolder(item.id))!) };
    },
  );

  app.post(
    '/v1/admin/items',
    {
      onRequest: guards.admin,
      schema: { body: CreateItemRequest, response: { 200: ItemResponse, ...ERRORS } },
    },
    async (request) => {
      const item = await createItem(request.body);
      await record(request, {
        action: 'item.create',
        targetKind: 'item',
        targetId: item.id,
        detail: `${item.tag} ${item.name}`,
      });
      return { item: presentItem((await store.findItemWithHolder(item.id))!) };
    },
  );

  app.patch(
    '/v1/admin/items/:id',
    {
      onRequest: guards.admin,
      schema: { params: IdParams, body: UpdateItemRequest, response: { 200: ItemResponse, ...ERRORS } },
    },
    async (request) => {
      const body = request.body.parts
        ? { ...request.body, parts: kitParts(request.body.parts) }
        : request.body;
      const before = await store.findItemWithHolder(request.params.id);
      const item = before && (await store.updateItem(request.params.id, body));
      if (!before || !item) throw new AppError('NOT_FOUND', 'no such item');
      const action = request.body.retired === true ? 'item.retire' : 'item.update';
      await record(request, {
        action,
        targetKind: 'item',
        targetId: item.id,
        detail: `${item.tag} ${item.name}: ${Object.keys(body).join(', ')}`,
        // Only what this edit changed, before and after, as person edits and the CSV import do.
        changes: changesOf(
          Object.fromEntries(ITEM_FIELDS.map((f) => [f, before[f]])) as Pick<ItemWithHolder, ItemField>,
          body,
          ITEM_FIELDS,
        ),
      });
      return { item: presentItem((await store.findItemWithHolder(item.id))!) };
    },
  );

  app.get(
    '/v1/admin/items.csv',
    { onRequest: guards.staff, schema: { response: { 200: CsvText, ...ERRORS } } },
    async (_request, reply) => {
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="items.csv"')
        .header('cache-control', 'no-store');
      return toCsv((await store.itemsWithHolders()).map(presentItem), [
        ['tag', (i) => i.tag],
        ['name', (i) => i.name],
        ['category', (i) => i.category],
        ['loanDays', (i) => i.loanDays],
        ['restrictedTo', (i) => i.restrictedTo],
        ['lockerSlot', (i) => i.lockerSlot],
        ['retired', (i) => (i.retired ? 'yes' : 'no')],
        // As the import reads it back: "a; b; c" in one cell.
        ['parts', (i) => i.parts.join(`${KIT_PARTS_SEPARATOR} `)],
        ['holder', (i) => i.holder?.userName],
        ['since', (i) => i.holder?.since],
        ['dueAt', (i) => i.holder?.dueAt],
      ]);
    },
  );

  app.post(
    '/v1/admin/items/import',
    {
      onRequest: guards.admin,
      bodyLimit: 2 * 1024 * 1024,
      schema: { body: ImportItemsRequest, response: { 200: ImportItemsResponse, ...ERRORS } },
    },
    async (request) => {
      // All or nothing, by the one CSV import (server/import/csv-import.ts); each change audited.
      return await importItemsLegacy(deps, request.body.csv, actorOf(request));
    },
  );
}
