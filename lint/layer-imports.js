// An ESLint rule that makes each layer's imports an allow-list (STYLE.md rule 1; VS Code's
// `code-import-patterns` is the model): a file may import only what its layer names, so a new
// package, a Node built-in in the renderer or an arrow to another layer fails until someone
// names it on purpose. Relative imports are judged by the repository path they land on;
// dynamic import() and require() are judged the same way and must name a literal module.
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** 'node:*', '@fastify/*', 'react' (and its subpaths) for packages; 'protocol/' for folders. */
function allows(allow, target) {
  return allow.some((entry) => {
    if (entry.endsWith('*')) return target.startsWith(entry.slice(0, -1));
    if (entry.endsWith('/')) return target.startsWith(entry);
    return target === entry || target.startsWith(`${entry}/`);
  });
}

function judge(context, node, source) {
  const { layer, allow, deny = [] } = context.options[0];
  if (typeof source !== 'string') {
    context.report({
      node,
      message: `${layer}: a dynamic import must name a literal module, so its layer can be checked.`,
    });
    return;
  }
  let target = source;
  if (source.startsWith('.')) {
    const file = path.resolve(path.dirname(context.filename), source);
    target = path.relative(ROOT, file).split(path.sep).join('/');
    if (target.startsWith('..')) target = file;
  }
  if (allows(allow, target) && !allows(deny, target)) return;
  context.report({
    node,
    message:
      `${layer} may not import '${source}'${target !== source ? ` (${target})` : ''}. ` +
      `It may import only: ${allow.join(', ')}${deny.length ? ` (not ${deny.join(', ')})` : ''}. ` +
      "If this arrow is meant, name it in the layer's list in eslint.config.js.",
  });
}

const literal = (node) =>
  node && node.type === 'Literal'
    ? node.value
    : node && node.type === 'TemplateLiteral' && node.expressions.length === 0
      ? node.quasis[0].value.cooked
      : undefined;

const layerImports = {
  meta: {
    type: 'problem',
    schema: [
      {
        type: 'object',
        properties: {
          layer: { type: 'string' },
          allow: { type: 'array', items: { type: 'string' } },
          deny: { type: 'array', items: { type: 'string' } },
        },
        required: ['layer', 'allow'],
        additionalProperties: false,
      },
    ],
  },
  create(context) {
    const check = (node) => node.source && judge(context, node, node.source.value);
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: (node) => judge(context, node, literal(node.source)),
      'CallExpression[callee.name="require"]': (node) => judge(context, node, literal(node.arguments[0])),
    };
  },
};

/** Every source file belongs to a layer; a new folder is no layer until it is named. */
const noLayer = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    return {
      Program(node) {
        const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
        context.report({
          node,
          message: `${file} is in no layer: name its folder and what it may import in eslint.config.js.`,
        });
      },
    };
  },
};

export default { rules: { 'layer-imports': layerImports, 'no-layer': noLayer } };
