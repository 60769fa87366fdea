/**
 * The parts of TypeScript's runtime API the TS/JS extractor calls, as one small plain object.
 *
 * Why: `import * as ts from 'typescript'` compiles (tsc `__importStar`, esbuild `__toESM`) to an
 * object of getters over the typescript module's own getter-based exports — about 2,200 of them,
 * so V8 keeps that object in slow dictionary mode. Every `ts.isIdentifier(n)` in a hot loop was two
 * hash lookups and two getter calls; that was about a quarter of the extractor's time. Reading
 * each function once here makes a call one fast property load. Types still come from
 * `import * as ts` (type positions cost nothing at run time).
 *
 * A function missing from this list is a compile error at its use (`tsApi.x` does not exist):
 * add it here.
 *
 * `import ts = require(…)` rather than `import * as`: the namespace form also costs its copy
 * once, at load (esbuild's __toESM defines a getter per export: ~12 ms of a scan's first TS/JS
 * file); the module object itself is all this file reads.
 */
import ts = require('typescript');

export const tsApi = {
  JSDocParsingMode: ts.JSDocParsingMode,
  JsxEmit: ts.JsxEmit,
  LanguageVariant: ts.LanguageVariant,
  NodeFlags: ts.NodeFlags,
  ScriptKind: ts.ScriptKind,
  ScriptTarget: ts.ScriptTarget,
  SyntaxKind: ts.SyntaxKind,
  createScanner: ts.createScanner,
  createSourceFile: ts.createSourceFile,
  forEachChild: ts.forEachChild,
  isArrayLiteralExpression: ts.isArrayLiteralExpression,
  isArrowFunction: ts.isArrowFunction,
  isAsExpression: ts.isAsExpression,
  isAwaitExpression: ts.isAwaitExpression,
  isBinaryExpression: ts.isBinaryExpression,
  isBindingElement: ts.isBindingElement,
  isBlock: ts.isBlock,
  isCallExpression: ts.isCallExpression,
  isClassDeclaration: ts.isClassDeclaration,
  isClassLike: ts.isClassLike,
  isConditionalExpression: ts.isConditionalExpression,
  isConstructorDeclaration: ts.isConstructorDeclaration,
  isComputedPropertyName: ts.isComputedPropertyName,
  isElementAccessExpression: ts.isElementAccessExpression,
  isExpressionStatement: ts.isExpressionStatement,
  isExternalModule: ts.isExternalModule,
  isExternalModuleReference: ts.isExternalModuleReference,
  isFunctionDeclaration: ts.isFunctionDeclaration,
  isFunctionExpression: ts.isFunctionExpression,
  isGetAccessorDeclaration: ts.isGetAccessorDeclaration,
  isIdentifier: ts.isIdentifier,
  isImportClause: ts.isImportClause,
  isImportDeclaration: ts.isImportDeclaration,
  isImportEqualsDeclaration: ts.isImportEqualsDeclaration,
  isImportSpecifier: ts.isImportSpecifier,
  isInterfaceDeclaration: ts.isInterfaceDeclaration,
  isMethodDeclaration: ts.isMethodDeclaration,
  isMetaProperty: ts.isMetaProperty,
  isNamespaceImport: ts.isNamespaceImport,
  isNewExpression: ts.isNewExpression,
  isNoSubstitutionTemplateLiteral: ts.isNoSubstitutionTemplateLiteral,
  isNonNullExpression: ts.isNonNullExpression,
  isNumericLiteral: ts.isNumericLiteral,
  isObjectBindingPattern: ts.isObjectBindingPattern,
  isObjectLiteralExpression: ts.isObjectLiteralExpression,
  isOmittedExpression: ts.isOmittedExpression,
  isParenthesizedExpression: ts.isParenthesizedExpression,
  isPrefixUnaryExpression: ts.isPrefixUnaryExpression,
  isPostfixUnaryExpression: ts.isPostfixUnaryExpression,
  isForOfStatement: ts.isForOfStatement,
  isForInStatement: ts.isForInStatement,
  isPrivateIdentifier: ts.isPrivateIdentifier,
  isPropertyAccessExpression: ts.isPropertyAccessExpression,
  isPropertyAssignment: ts.isPropertyAssignment,
  isPropertyDeclaration: ts.isPropertyDeclaration,
  isQualifiedName: ts.isQualifiedName,
  isReturnStatement: ts.isReturnStatement,
  isSatisfiesExpression: ts.isSatisfiesExpression,
  isSetAccessorDeclaration: ts.isSetAccessorDeclaration,
  isShorthandPropertyAssignment: ts.isShorthandPropertyAssignment,
  isSpreadAssignment: ts.isSpreadAssignment,
  isSpreadElement: ts.isSpreadElement,
  isStringLiteral: ts.isStringLiteral,
  isTemplateExpression: ts.isTemplateExpression,
  isTemplateTail: ts.isTemplateTail,
  isTypeAliasDeclaration: ts.isTypeAliasDeclaration,
  isTypeAssertionExpression: ts.isTypeAssertionExpression,
  isTypeLiteralNode: ts.isTypeLiteralNode,
  isTypeReferenceNode: ts.isTypeReferenceNode,
  isVariableDeclaration: ts.isVariableDeclaration,
  isVariableStatement: ts.isVariableStatement,
  updateSourceFile: ts.updateSourceFile,
};
