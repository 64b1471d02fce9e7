/**
 * An ESLint rule that keeps imports between top-level folders to the layering table given as its
 * options (the table lives in eslint.config.mjs; docs/architecture.md draws it). Import paths are
 * resolved against the importing file, so `../config/env` and `../../sim-core/configs` are judged by
 * the folder they reach, not by how they are spelt.
 *
 * Options: `{ root, layers }`, where `layers[folder]` is
 *   - `may`: what the folder's code may import: a folder (`'persistence'`), a part of one
 *     (`'sim-core/configs'`, `'temporal-config/timeouts'`), or `'*'` for anything;
 *   - `types` (optional): folders it may import types from (`import type`, erased at build);
 *   - `tests` (optional): what its tests (`*.test.ts`, `test-utils/`) may import; anything by default.
 * A file in a top-level folder without an entry is reported, so a new folder states its place.
 */
import fs from 'node:fs';
import path from 'node:path';

const SOURCE_EXTENSION = /\.(?:[cm]?[jt]sx?|json)$/;

function isTestFile(relative) {
  return /\.test\.[cm]?[jt]sx?$/.test(relative) || relative.split('/').includes('test-utils');
}

function isFolder(absolute) {
  try {
    return fs.statSync(absolute).isDirectory();
  } catch {
    return false;
  }
}

/** `'sim-core/configs'` allows `sim-core/configs` and everything below it. */
function allows(entries, target) {
  return entries.some((entry) => entry === '*' || target === entry || target.startsWith(`${entry}/`));
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return (
    node.type === 'ImportDeclaration' &&
    specifiers.length > 0 &&
    specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type')
  );
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports between top-level folders follow the layering table' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, layers: { type: 'object' } },
        required: ['root', 'layers'],
      },
    ],
    messages: {
      forbidden:
        '{{from}}/ may not import {{target}}. {{from}}/ may import: {{allowed}} (the layers: eslint.config.mjs, docs/architecture.md).',
      unknownFolder:
        'the top-level folder {{from}}/ has no entry in the layering table (eslint.config.mjs): say what it may import.',
    },
  },
  create(context) {
    const { root, layers } = context.options[0];
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const [from, ...rest] = file.split('/');
    if (rest.length === 0 || file.startsWith('..')) return {}; // files at the root, or outside it
    const layer = layers[from];
    if (!layer) {
      return {
        Program(node) {
          context.report({ node, messageId: 'unknownFolder', data: { from } });
        },
      };
    }
    const test = isTestFile(file);
    const may = test && layer.tests ? layer.tests : test ? ['*'] : layer.may;
    const types = test ? [] : (layer.types ?? []);

    function check(node, source, typeOnly) {
      if (typeof source !== 'string' || !source.startsWith('.')) return; // packages: other rules
      const absolute = path.resolve(path.dirname(context.filename), source);
      const target = path.relative(root, absolute).split(path.sep).join('/').replace(SOURCE_EXTENSION, '');
      const top = target.split('/')[0];
      if (top === from || target.startsWith('..')) return;
      if (!target.includes('/') && !isFolder(path.join(root, top))) return; // a file at the root
      if (allows(may, target) || (typeOnly && allows(types, target))) return;
      const allowed = [...may, ...types.map((t) => `${t} (types)`)];
      context.report({
        node,
        messageId: 'forbidden',
        data: { from, target, allowed: allowed.length ? allowed.join(', ') : 'nothing else of ours' },
      });
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value, isTypeOnly(node)),
      ExportNamedDeclaration: (node) =>
        node.source && check(node.source, node.source.value, isTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node.source, node.source.value, isTypeOnly(node)),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
      CallExpression(node) {
        const callee = node.callee;
        const isRequire =
          (callee.type === 'Identifier' && callee.name === 'require') ||
          (callee.type === 'MemberExpression' &&
            callee.object.type === 'Identifier' &&
            callee.object.name === 'require' &&
            callee.property.type === 'Identifier' &&
            callee.property.name === 'resolve');
        const [first] = node.arguments;
        if (isRequire && first?.type === 'Literal') check(node, first.value, false);
      },
    };
  },
};

export default { rules: { 'layer-boundaries': rule } };
