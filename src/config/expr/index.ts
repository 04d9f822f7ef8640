// The expression language's public API: parse HCL expressions and templates, evaluate them against a scope,
// list their references, and the built-in functions.
export * from "./types.js";
export { parseExpression, parseTemplate, MAX_NESTING, MAX_HEIGHT, type ParseResult } from "./parse.js";
export { evaluate } from "./evaluate.js";
export { references, type Reference } from "./references.js";
export { builtinFunctions, FUNCTION_DOCS, type FunctionDoc } from "./functions.js";
export { toImpl, signatureOf, type FunctionDef, type Param, type ParamType, type CallSite } from "./function-signature.js";
export { suggest, didYouMean, editDistance } from "./suggest.js";
export { callError, evalError, isEvalError } from "./errors.js";
export { formatNumber, toText as valueToString, typeName } from "./convert.js";
export { toSetValue, encodeJson } from "./conversion-functions.js";
export { staticScope } from "./static-scope.js";
