import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * `microshop/package-boundaries`: a relative module specifier must stay inside the package
 * (nearest package.json) of the file it is written in; another package is imported by its name,
 * through its `exports`. The path is resolved and the two package roots compared, so no spelling
 * of `../` slips past. Checked: import/export ... from, import(), require(), TypeScript
 * `import('...')` types, and `new URL('<relative>', import.meta.url)` pointing into another
 * workspace package (files of the repository root itself, such as schema/ and prisma/, belong to
 * no workspace and may be read so).
 */

/** Directory -> the root directory of the package it belongs to (null: outside any package). */
const packageRoots = new Map();

function packageRootOf(directory) {
  if (packageRoots.has(directory)) return packageRoots.get(directory);
  const parent = dirname(directory);
  const root = existsSync(join(directory, 'package.json'))
    ? directory
    : parent === directory
      ? null
      : packageRootOf(parent);
  packageRoots.set(directory, root);
  return root;
}

function packageJsonOf(root) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

/** The package a resolved path belongs to: a directory holding a package.json is its own root. */
function packageRootOfTarget(target) {
  const isDirectory = existsSync(target) && statSync(target).isDirectory();
  return packageRootOf(isDirectory ? target : dirname(target));
}

const isRelative = (specifier) =>
  specifier === '.' || specifier === '..' || /^\.\.?\//.test(specifier);

function literalText(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0].value.cooked;
  return undefined;
}

const isImportMetaUrl = (node) =>
  node?.type === 'MemberExpression' &&
  node.object.type === 'MetaProperty' &&
  node.object.meta.name === 'import' &&
  node.property.type === 'Identifier' &&
  node.property.name === 'url';

/** @type {import('eslint').Rule.RuleModule} */
export const packageBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Relative imports stay inside their own package' },
    schema: [],
    messages: {
      leavesPackage:
        "'{{specifier}}' leaves {{from}} for {{to}}: import {{to}} by its package name (add what is needed to its exports).",
    },
  },
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    const ownRoot = packageRootOf(dirname(filename));
    if (!ownRoot) return {};
    const nameOf = (root) =>
      root ? (packageJsonOf(root).name ?? relative(ownRoot, root)) : 'no package';

    function check(sourceNode, { fileReference = false } = {}) {
      const specifier = literalText(sourceNode);
      if (specifier === undefined || !isRelative(specifier)) return;
      const targetRoot = packageRootOfTarget(resolve(dirname(filename), specifier));
      if (targetRoot === ownRoot) return;
      if (fileReference && targetRoot && packageJsonOf(targetRoot).workspaces) return;
      context.report({
        node: sourceNode,
        messageId: 'leavesPackage',
        data: { specifier, from: nameOf(ownRoot), to: nameOf(targetRoot) },
      });
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => node.source && check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportType: (node) => check(node.source ?? node.argument?.literal),
      TSExternalModuleReference: (node) => check(node.expression),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require')
          check(node.arguments[0]);
      },
      NewExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'URL' &&
          isImportMetaUrl(node.arguments[1])
        )
          check(node.arguments[0], { fileReference: true });
      },
    };
  },
};

export default { rules: { 'package-boundaries': packageBoundaries } };
