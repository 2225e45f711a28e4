/**
 * A small structural check of regular expressions for the pattern-safety test: finds every regex literal
 * and `new RegExp(…)` in a TypeScript file (with the TypeScript parser, not a regex over source) and
 * reports the shapes that can backtrack catastrophically — a repeated group that itself holds a repeated
 * atom ("nested quantifiers", `(a+)+`), and a look-behind that is not of bounded length.
 */
import ts from 'typescript';

export interface FoundRegex {
  file: string;
  line: number;
  /** The literal as written (`/…/flags`), or the `new RegExp(…)` expression. */
  text: string;
  /** The pattern, when it is a literal. */
  source?: string;
}

export function regexesIn(file: string, code: string): FoundRegex[] {
  const sourceFile = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const found: FoundRegex[] = [];
  const visit = (node: ts.Node): void => {
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText();
      found.push({ file, line, text, source: text.slice(1, text.lastIndexOf('/')) });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') {
      found.push({ file, line, text: node.getText() });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

interface Atom {
  max: number; // Infinity for *, +, {n,}
  children?: Atom[];
  lookbehind?: boolean;
}

/** Parses a pattern into atoms with their repetition bounds; classes and escapes are single atoms. */
function parse(source: string): Atom[] {
  let i = 0;
  const sequence = (): Atom[] => {
    const atoms: Atom[] = [];
    while (i < source.length && source[i] !== ')') {
      const c = source[i]!;
      let atom: Atom;
      if (c === '\\') {
        i += 2;
        atom = { max: 1 };
      } else if (c === '[') {
        i++;
        while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
        i++;
        atom = { max: 1 };
      } else if (c === '(') {
        i++;
        let lookbehind = false;
        if (source[i] === '?') {
          lookbehind = source.startsWith('?<=', i) || source.startsWith('?<!', i);
          if (source.startsWith('?<', i) && !lookbehind)
            i = source.indexOf('>', i) + 1; // named group
          else i += lookbehind ? 3 : 2;
        }
        const children = sequence();
        i++; // ')'
        atom = { max: 1, children, lookbehind };
      } else if (c === '|') {
        i++;
        continue;
      } else {
        i++;
        atom = { max: 1 };
      }
      // quantifier
      const q = source[i];
      if (q === '*' || q === '+') {
        atom.max = Infinity;
        i++;
      } else if (q === '?') {
        i++;
      } else if (q === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
        if (m) {
          atom.max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
          i += m[0].length;
        }
      }
      if (source[i] === '?') i++; // lazy
      atoms.push(atom);
    }
    return atoms;
  };
  return sequence();
}

function hasRepetition(atoms: readonly Atom[]): boolean {
  return atoms.some((a) => a.max > 1 || (a.children !== undefined && hasRepetition(a.children)));
}

function unbounded(atoms: readonly Atom[]): boolean {
  return atoms.some((a) => a.max === Infinity || (a.children !== undefined && unbounded(a.children)));
}

/** The risky shapes in a pattern, as short descriptions (empty when none). */
export function riskyShapes(source: string): string[] {
  const risks = new Set<string>();
  const walk = (atoms: readonly Atom[]) => {
    for (const a of atoms) {
      if (!a.children) continue;
      if (a.max > 1 && hasRepetition(a.children)) risks.add('nested quantifier');
      if (a.lookbehind && unbounded(a.children)) risks.add('unbounded look-behind');
      walk(a.children);
    }
  };
  walk(parse(source));
  return [...risks];
}
