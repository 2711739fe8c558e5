// `npm run lint` (so CI) fails on a line over 120 characters, comments, strings, regular expressions and URLs
// included: prettier wraps code at that width, and ESLint's max-len catches what prettier cannot wrap.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function lineLengthProblems(text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath: 'src/line-length-probe.ts' });
  return result!.messages.filter((m) => m.ruleId === 'max-len').map((m) => `${m.line}: ${m.message}`);
}

describe('npm run lint', () => {
  it('fails on a line of 121 characters: code, a comment or a string', async () => {
    const comment = `// ${'x'.repeat(118)}\n`;
    const string = `export const s = '${'x'.repeat(121 - "export const s = '';".length)}';\n`;
    expect(comment.length - 1).toBe(121);
    expect(string.length - 1).toBe(121);
    expect(await lineLengthProblems(comment)).toHaveLength(1);
    expect(await lineLengthProblems(string)).toHaveLength(1);
  });

  it('fails on a regular expression or a URL of 121 characters too: no line is exempt', async () => {
    const regex = `export const r = /${'x'.repeat(121 - 'export const r = //;'.length)}/;\n`;
    const url = `// https://example.com/${'x'.repeat(121 - '// https://example.com/'.length)}\n`;
    expect([regex.length - 1, url.length - 1]).toEqual([121, 121]);
    expect(await lineLengthProblems(regex)).toHaveLength(1);
    expect(await lineLengthProblems(url)).toHaveLength(1);
  });

  it('passes a line of 120 characters', async () => {
    expect(await lineLengthProblems(`// ${'x'.repeat(117)}\n`)).toEqual([]);
  });
});
