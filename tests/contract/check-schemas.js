// Compiles every request schema of a spec the way Prism's validator does and lists the ones that
// do not compile. Prism skips validating a value whose schema fails to compile (the request then
// "passes"), so cli/tests/contract.rs runs this first and fails on any output.
//
// Usage: node check-schemas.js SPEC   (exit 1 when a schema does not compile)
'use strict';

const path = require('path');

const here = path.join(__dirname, 'node_modules');
const cli = path.dirname(require.resolve('@stoplight/prism-cli/package.json', { paths: [here] }));
// The same copies that `prism mock` loads: the CLI's parser, the server's validator and its ajv.
const resolve = (name, from) => path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
const { getHttpOperationsFromSpec } = require(resolve('@stoplight/prism-http', cli));
const validator = resolve('@stoplight/prism-http', resolve('@stoplight/prism-http-server', cli));
const Ajv = require(require.resolve('ajv', { paths: [validator] })).default;
const addFormats = require(require.resolve('ajv-formats', { paths: [validator] })).default;

(async () => {
  const operations = await getHttpOperationsFromSpec(process.argv[2]);
  // Prism's options (validator/validators/utils.js), minus its logger.
  const ajv = new Ajv({
    allErrors: true,
    allowUnionTypes: true,
    allowMatchingProperties: true,
    strict: false,
    logger: false,
  });
  addFormats(ajv);
  let broken = 0;
  for (const op of operations) {
    const schemas = [];
    const request = op.request || {};
    for (const content of (request.body && request.body.contents) || []) {
      if (content.schema) schemas.push([`body ${content.mediaType}`, content.schema]);
    }
    for (const where of ['path', 'query', 'headers', 'cookie']) {
      for (const param of request[where] || []) {
        if (param.schema) schemas.push([`${where} parameter ${param.name}`, param.schema]);
      }
    }
    for (const [what, schema] of schemas) {
      try {
        ajv.compile({ ...schema, __bundled__: op.__bundled__ });
      } catch (e) {
        broken += 1;
        console.log(`${op.method.toUpperCase()} ${op.path}: ${what}: ${e.message}`);
      }
    }
  }
  process.exit(broken > 0 ? 1 : 0);
})().catch(e => {
  console.log(`cannot read ${process.argv[2]}: ${e.stack || e}`);
  process.exit(2);
});
