// ESLint (flat config) for the network pages' script: a browser script, one IIFE in strict mode,
// with vis-network's `vis` global (pyvis inlines vis-network before it). .ci/run: `npm ci && npm run lint`.
"use strict";
const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  js.configs.recommended,
  {
    files: ["graph/network/assets/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, vis: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { args: "none" }],
      eqeqeq: ["error", "always"],
      "no-var": "off", // the page keeps ES5 declarations: it is inlined as it is
    },
  },
];
