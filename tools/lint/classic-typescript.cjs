// typescript-eslint needs the classic TypeScript compiler API (`require('typescript')`, 5.x or 6.0);
// the project's own `typescript` is 7 (the native compiler: no JS API). npm nests a classic copy in
// tools/lint/node_modules, and the @typescript-eslint packages sit there beside it, but ts-api-utils
// (whose peer range TypeScript 7 also satisfies) is hoisted to the root and would load 7. This sends
// every `require('typescript')` from typescript-eslint's packages to the classic copy. Linting only:
// nothing else loads this file.
const Module = require('node:module');

const classicPath = require.resolve('typescript');
const { version } = require(classicPath);
if (!/^(5|6\.0)\./.test(version)) {
  throw new Error(`tools/lint: typescript-eslint needs TypeScript 5.x or 6.0, but ${classicPath} is ${version}`);
}

const consumers = /[\\/]node_modules[\\/](?:ts-api-utils|typescript-eslint|@typescript-eslint)[\\/]/;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'typescript' && parent?.filename && consumers.test(parent.filename)) return classicPath;
  return resolveFilename.call(this, request, parent, ...rest);
};
