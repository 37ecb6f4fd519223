// An ESLint rule that keeps the folders' layers (docs/architecture.md): each relative import is
// resolved to a path in the repository and checked against the folder rules of the importing file.
// Import specifiers of packages are checked only against `noPackages` (e.g. Node's own modules in
// code that runs in a browser or in any client).

import { dirname, relative, resolve, sep } from "node:path";

const toPosix = (path) => path.split(sep).join("/");
const under = (path, folder) => path === folder.replace(/\/$/, "") || path.startsWith(folder.endsWith("/") ? folder : `${folder}/`);

/** The rule sets that apply to `file` (repository-relative): every one whose `files` hold it. */
function layerOf(file, layers) {
  return layers.filter((layer) => layer.files.some((folder) => under(file, folder)));
}

/** Why importing `target` (repository-relative) from a file of `layer` is refused, or null. */
export function refusal(layer, target) {
  if (layer.only && !layer.only.some((folder) => under(target, folder))) {
    return `${layer.name} may import only ${layer.only.join(", ")}`;
  }
  const denied = (layer.never ?? []).find((folder) => under(target, folder));
  return denied ? `${layer.name} never imports ${denied}` : null;
}

/** The rule: options `{ root, layers: [{ name, files, only?, never?, noPackages? }] }`. */
export const layersRule = {
  meta: {
    type: "problem",
    docs: { description: "imports follow the layers of docs/architecture.md" },
    schema: [{ type: "object", additionalProperties: true }],
  },
  create(context) {
    const { root, layers } = context.options[0];
    const file = toPosix(relative(root, context.filename));
    const applying = layerOf(file, layers);
    if (applying.length === 0) return {};
    const check = (node) => {
      const spec = node?.value;
      if (typeof spec !== "string") return;
      if (!spec.startsWith(".")) {
        for (const layer of applying) {
          const pattern = (layer.noPackages ?? []).find((prefix) => spec === prefix || spec.startsWith(prefix));
          if (pattern) context.report({ node, message: `${layer.name} runs without Node: "${spec}" cannot be imported here` });
        }
        return;
      }
      const target = toPosix(relative(root, resolve(dirname(context.filename), spec)));
      for (const layer of applying) {
        const why = refusal(layer, target);
        if (why) context.report({ node, message: `${why} (see docs/architecture.md): "${spec}" is ${target}` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default { rules: { layers: layersRule } };
