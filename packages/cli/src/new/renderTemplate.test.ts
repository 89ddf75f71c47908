import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderTemplate } from './renderTemplate';

function templateWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plinth-template-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

describe('renderTemplate', () => {
  it('fills tokens in paths and contents and drops the .tmpl suffix', () => {
    const dir = templateWith({
      'src/{{name}}Plugin.ts.tmpl': "export const id = '{{id}}'; // {{id}}\n",
      'README.md.tmpl': '# {{id}}\n',
    });
    expect(renderTemplate(dir, { id: 'todo', name: 'todo' })).toEqual([
      { path: 'README.md', content: '# todo\n' },
      {
        path: 'src/todoPlugin.ts',
        content: "export const id = 'todo'; // todo\n",
      },
    ]);
  });

  it('names the file and the token it has no value for', () => {
    const dir = templateWith({ 'index.ts.tmpl': '{{missing}}\n' });
    expect(() => renderTemplate(dir, { id: 'x' })).toThrow(
      `Template file '${path.join(dir, 'index.ts.tmpl')}' uses {{missing}}, which this template has no value for; use one of id.`,
    );
  });

  it('names a template file without the suffix', () => {
    const dir = templateWith({ 'index.ts': '' });
    expect(() => renderTemplate(dir, {})).toThrow(
      `Template file '${path.join(dir, 'index.ts')}' does not end in '.tmpl'; rename it, so that the repository's tools skip it.`,
    );
  });
});
