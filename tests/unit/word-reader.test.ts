// The Word reader (src/files/word.ts): what it makes of real .docx structure (paragraphs and
// tables in order, spans, merges, check boxes of every kind, tracked changes, fields, nested
// tables, text boxes), and how it refuses what it cannot or must not read, each refusal with its
// exact problem and message, in bounded time and memory. LibreOffice conversions are in
// tests/integration/word-convert.test.ts.

import { randomBytes } from 'node:crypto';
import { CheckBox, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConvertResult } from '../../src/files/office-convert.js';
import { readWordFile, WORD_LIMITS, type WordRead } from '../../src/files/word.js';
import type { WordDocument, WordTable } from '../../src/forms/word-document.js';
import {
  cell,
  compoundFile,
  deflatedEntry,
  documentXml,
  docxFromBody,
  docxWithDocumentXml,
  measure,
  p,
  para,
  rawZip,
  removeTempDirs,
  row,
  run,
  sym,
  table,
  tempFile,
  whitespaceDocumentDeflated,
  wordDocumentStream,
  zerosDeflated,
} from '../helpers/word-files.js';

const MESSAGE = {
  encrypted: '文件设置了打开密码，助手无法读取。请在 Word 中取消密码（文件 → 信息 → 保护文档 → 用密码进行加密，清空密码）后重新发送。',
  corrupt: '文件已损坏，无法打开。请在 Word 中打开确认无误、重新保存后再发送。',
  needsDocx: '这是旧版 Word（.doc）或 WPS 文件，请在 Word 或 WPS 中“另存为”.docx 格式后重新发送。',
  tooMuchContent: '文件内容过多（正文超过 200 万字或表格超过 5000 行），助手无法读取。请只发送填好的申报表本身，不要把其他材料合并在同一个文件里。',
  packageTooLarge:
    '文件解压后超过 100 MB（多是文档中插入了大量图片），助手无法读取。请删去文档中的图片，只保留填好的申报表后重新发送；证书、照片等附件请单独发送。',
  tooManyParts: '文件包含的部件超过 2000 个（多是文档中插入了大量图片或对象），助手无法读取。请删去这些图片或对象，只保留填好的申报表后重新发送。',
};

async function read(bytes: Buffer | Uint8Array, name = '申报表.docx', convert?: (path: string) => Promise<ConvertResult>): Promise<WordRead> {
  return readWordFile(tempFile(name, bytes), { name, ...(convert ? { convert } : {}) });
}

async function readDoc(bytes: Buffer): Promise<WordDocument> {
  const r = await read(bytes);
  if (!r.ok) throw new Error(`${r.problem}: ${r.message}`);
  expect(r.converted).toBe(false);
  return r.document;
}

afterAll(removeTempDirs);

const tables = (d: WordDocument) => d.blocks.filter((b): b is WordTable => b.kind === 'table');
const texts = (t: WordTable) => t.rows.map((r) => r.map((c) => c.text));

async function onlyParagraph(body: string): Promise<string> {
  const d = await readDoc(await docxFromBody(body));
  expect(d.blocks).toHaveLength(1);
  const b = d.blocks[0]!;
  if (b.kind !== 'paragraph') throw new Error('expected a paragraph');
  return b.text;
}

/** Bounds, not benchmarks: every refusal comes quickly and without holding much. */
async function refused(bytes: Buffer | Uint8Array, name: string, problem: string, message: string) {
  const m = await measure(() => read(bytes, name));
  expect(m.result).toEqual({ ok: false, problem, message });
  expect(m.ms).toBeLessThan(10_000);
  expect(m.heapMB).toBeLessThan(100);
  expect(m.rssMB).toBeLessThan(100);
  return m;
}

describe('a .docx written by the docx package (as the bot writes its own 申报表)', () => {
  it('reads paragraphs and tables in order, cells as their paragraphs joined by newlines, spans, merges and check boxes', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ children: [new TextRun('威海市技能大师工作室申报表'), new TextRun({ text: '（2024）', break: 1 })] }),
            new Table({
              rows: [
                new TableRow({
                  children: [
                    new TableCell({ rowSpan: 2, children: [new Paragraph('领办人'), new Paragraph('信息')] }),
                    new TableCell({ columnSpan: 2, children: [new Paragraph({ children: [new TextRun('姓名\t张伟')] })] }),
                  ],
                }),
                new TableRow({
                  children: [
                    new TableCell({
                      children: [
                        new Paragraph({ children: [new CheckBox({ checked: true }), new TextRun('男 '), new CheckBox({ checked: false }), new TextRun('女')] }),
                      ],
                    }),
                    new TableCell({ children: [new Paragraph('A & B <C>')] }),
                  ],
                }),
              ],
            }),
            new Paragraph('填表说明'),
          ],
        },
      ],
    });
    const d = await readDoc(await Packer.toBuffer(doc));
    expect(d.blocks).toEqual([
      { kind: 'paragraph', text: '威海市技能大师工作室申报表\n（2024）' },
      {
        kind: 'table',
        rows: [
          [
            { text: '领办人\n信息', span: 1, vMerge: 'restart' },
            { text: '姓名 张伟', span: 2 },
          ],
          [
            { text: '', span: 1, vMerge: 'continue' },
            { text: '☑男 ☐女', span: 1 },
            { text: 'A & B <C>', span: 1 },
          ],
        ],
      },
      { kind: 'paragraph', text: '填表说明' },
    ]);
  });
});

describe('table structure written by hand', () => {
  it('gridSpan, vMerge restart / continue (with and without a value), and empty cells', async () => {
    const d = await readDoc(
      await docxFromBody(
        table(
          row(cell(p('项目'), '<w:vMerge w:val="restart"/>'), cell(p('内容'), '<w:gridSpan w:val="3"/>')),
          row(cell(p(''), '<w:vMerge/>'), cell(p('a')), cell(p('b')), cell('<w:p/>')),
          row(cell(p(''), '<w:vMerge w:val="continue"/>'), cell(p('c'), '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>'), cell(p('d'))),
        ),
      ),
    );
    expect(tables(d)[0]!.rows).toEqual([
      [
        { text: '项目', span: 1, vMerge: 'restart' },
        { text: '内容', span: 3 },
      ],
      [
        { text: '', span: 1, vMerge: 'continue' },
        { text: 'a', span: 1 },
        { text: 'b', span: 1 },
        { text: '', span: 1 },
      ],
      [
        { text: '', span: 1, vMerge: 'continue' },
        { text: 'c', span: 2, vMerge: 'restart' },
        { text: 'd', span: 1 },
      ],
    ]);
  });

  it('nested tables come after their parent, in the order they start; the parent cell keeps only its own paragraphs', async () => {
    const inner2 = table(row(cell(p('n2'))));
    const inner1 = table(row(cell(p('n1') + table(row(cell(p('n1a')))) + p(''))));
    const d = await readDoc(await docxFromBody(p('before') + table(row(cell(p('outer') + inner1 + p('after'))), row(cell(inner2 + p('')))) + p('end')));
    expect(d.blocks.map((b) => (b.kind === 'paragraph' ? b.text : texts(b)))).toEqual([
      'before',
      [['outer\nafter'], ['']],
      [['n1\n']],
      [['n1a']],
      [['n2']],
      'end',
    ]);
  });

  it('a deleted row (tracked) is dropped; an inserted one kept', async () => {
    const d = await readDoc(
      await docxFromBody(
        table(
          row(cell(p('1'))),
          '<w:tr><w:trPr><w:del w:id="1" w:author="x" w:date="2024-01-01T00:00:00Z"/></w:trPr>' + cell(p('deleted row')) + '</w:tr>',
          '<w:tr><w:trPr><w:ins w:id="2" w:author="x" w:date="2024-01-01T00:00:00Z"/></w:trPr>' + cell(p('inserted row')) + '</w:tr>',
        ),
      ),
    );
    expect(texts(tables(d)[0]!)).toEqual([['1'], ['inserted row']]);
  });

  it('rows and cells inside content controls (row- and cell-level w:sdt) still count', async () => {
    const d = await readDoc(
      await docxFromBody(
        `<w:tbl><w:sdt><w:sdtPr/><w:sdtContent>${row(cell(p('r1')), `<w:sdt><w:sdtPr/><w:sdtContent>${cell(p('c2'))}</w:sdtContent></w:sdt>`)}</w:sdtContent></w:sdt></w:tbl>`,
      ),
    );
    expect(texts(tables(d)[0]!)).toEqual([['r1', 'c2']]);
  });
});

describe('check boxes become ☑ / ☐', () => {
  it('content-control check boxes (w14:checkbox): the state, not the glyph Word drew', async () => {
    const control = (checked: string | null, glyph: string) =>
      `<w:sdt><w:sdtPr><w14:checkbox>${checked === null ? '' : `<w14:checked w14:val="${checked}"/>`}` +
      '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>' +
      `<w:sdtContent>${run(glyph, '<w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/>')}</w:sdtContent></w:sdt>`;
    expect(await onlyParagraph(para(control('1', '☒'), run('是'), control('0', '☐'), run('否'), control('true', '☐'), control(null, '☒')))).toBe('☑是☐否☑☐');
  });

  it('a block-level check box control starts the paragraph inside it', async () => {
    const d = await readDoc(
      await docxFromBody(
        table(
          row(
            cell(
              '<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="1"/></w14:checkbox></w:sdtPr><w:sdtContent><w:p><w:r><w:t>☒</w:t></w:r></w:p></w:sdtContent></w:sdt>' +
                p('同意'),
            ),
          ),
        ),
      ),
    );
    expect(texts(tables(d)[0]!)).toEqual([['☑\n同意']]);
  });

  it('legacy form check boxes (FORMCHECKBOX): w:checked, else w:default', async () => {
    const box = (inner: string) =>
      `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/><w:checkBox><w:sizeAuto/>${inner}</w:checkBox></w:ffData></w:fldChar></w:r>` +
      '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>';
    expect(
      await onlyParagraph(
        para(
          box('<w:default w:val="1"/>'),
          run('a'),
          box('<w:default w:val="0"/>'),
          run('b'),
          box('<w:default w:val="0"/><w:checked/>'),
          run('c'),
          box('<w:default w:val="1"/><w:checked w:val="0"/>'),
          run('d'),
        ),
      ),
    ).toBe('☑a☐b☑c☐d');
  });

  it('a legacy drop-down form field shows its chosen entry', async () => {
    const dd =
      '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:ddList><w:result w:val="2"/><w:listEntry w:val="高级技师"/><w:listEntry w:val="技师"/><w:listEntry w:val="高级工"/></w:ddList></w:ffData></w:fldChar></w:r>' +
      '<w:r><w:instrText> FORMDROPDOWN </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>';
    expect(await onlyParagraph(para(run('等级：'), dd))).toBe('等级：高级工');
  });

  it('Wingdings and Wingdings 2 symbols (w:sym) that are boxes or ticks; other symbols dropped', async () => {
    expect(
      await onlyParagraph(
        para(
          sym('Wingdings', 'F0FE'),
          sym('Wingdings', 'F0FD'),
          sym('Wingdings', 'F078'),
          sym('Wingdings', 'F0A8'),
          sym('Wingdings', 'F06F'),
          sym('Wingdings', 'F071'),
          sym('Wingdings', 'F0FC'),
          run('|'),
          sym('Wingdings 2', 'F052'),
          sym('Wingdings 2', 'F053'),
          sym('Wingdings 2', 'F054'),
          sym('Wingdings 2', 'F0A3'),
          sym('Wingdings 2', 'F050'),
          run('|'),
          sym('Symbol', 'F0D6'),
          sym('Wingdings', 'F0E8'), // an arrow: no text
          sym('Wingdings', 'FE'), // without the F000 offset
          sym('Segoe UI Symbol', '2611'), // a Unicode font: the character itself
        ),
      ),
    ).toBe('☑☑☑☐☐☐√|☑☑☑☐√|√☑☑');
  });

  it('text in a Wingdings 2 run ("R", "£", or the private-use F052) is the symbol it draws', async () => {
    const wd2 = '<w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/>';
    expect(await onlyParagraph(para(run('R', wd2), run('是'), run('£', wd2), run('否'), run('\uf052', wd2), run('\uf0a3', wd2)))).toBe('☑是☐否☑☐');
  });

  it('typed ☑ √ ■ □ ☐ stay as they are; a typed ☒ is a ticked box', async () => {
    expect(await onlyParagraph(p('☑是 √否 ■有 □无 ☐待定 ☒已选'))).toBe('☑是 √否 ■有 □无 ☐待定 ☑已选');
  });
});

describe('text as Word shows it', () => {
  it('tracked insertions kept, deletions and moved-away text dropped', async () => {
    expect(
      await onlyParagraph(
        para(
          run('张'),
          '<w:ins w:id="1" w:author="a" w:date="2024-01-01T00:00:00Z">',
          run('三'),
          '</w:ins><w:del w:id="2" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>四</w:delText></w:r><w:r><w:t>五</w:t></w:r></w:del>',
          '<w:moveFrom w:id="3" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:t>六</w:t></w:r></w:moveFrom>',
          '<w:moveTo w:id="4" w:author="a" w:date="2024-01-01T00:00:00Z"><w:r><w:t>七</w:t></w:r></w:moveTo>',
        ),
      ),
    ).toBe('张三七');
  });

  it('field codes dropped, field results kept (nested fields in the code too)', async () => {
    const field = (code: string, result: string) =>
      `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">${code}</w:instrText></w:r>` +
      `<w:r><w:fldChar w:fldCharType="separate"/></w:r>${run(result)}<w:r><w:fldChar w:fldCharType="end"/></w:r>`;
    const nested =
      '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>' +
      field(' MERGEFIELD x ', 'inner result') +
      '<w:r><w:instrText> = 1 "yes" "no" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>' +
      run('no') +
      '<w:r><w:fldChar w:fldCharType="end"/></w:r>';
    expect(
      await onlyParagraph(
        para(run('第'), field(' PAGE ', '3'), run('页 '), nested, '<w:fldSimple w:instr=" DATE "><w:r><w:t>2024-07-15</w:t></w:r></w:fldSimple>'),
      ),
    ).toBe('第3页 no2024-07-15');
  });

  it('content controls keep what was entered; a control still showing its prompt is empty', async () => {
    const control = (placeholder: boolean, text: string) =>
      `<w:sdt><w:sdtPr>${placeholder ? '<w:showingPlcHdr/>' : ''}<w:text/></w:sdtPr><w:sdtContent>${run(text)}</w:sdtContent></w:sdt>`;
    expect(await onlyParagraph(para(run('单位：'), control(false, '威海第一机械'), run('；电话：'), control(true, '单击或点击此处输入文字。')))).toBe(
      '单位：威海第一机械；电话：',
    );
  });

  it('hidden text dropped; tabs, breaks, hyphens, hyperlinks and smart tags as text', async () => {
    expect(
      await onlyParagraph(
        para(
          run('a'),
          run('hidden', '<w:vanish/>'),
          run('shown', '<w:vanish w:val="0"/>'),
          '<w:r><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t><w:softHyphen/><w:cr/></w:r>',
          '<w:hyperlink r:id="rId9" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">',
          run('link'),
          '</w:hyperlink><w:smartTag w:uri="x" w:element="y">',
          run('tag'),
          '</w:smartTag>',
        ),
      ),
    ).toBe('ashown b\nc-d\nlinktag');
  });

  it('ruby (phonetic guide) text is not part of the text', async () => {
    expect(
      await onlyParagraph(para(run('姓名：'), `<w:r><w:ruby><w:rubyPr/><w:rt>${run('zhāng')}</w:rt><w:rubyBase>${run('张')}</w:rubyBase></w:ruby></w:r>`)),
    ).toBe('姓名：张');
  });

  it('paragraph properties are not text (tab stops, the paragraph mark’s run properties)', async () => {
    expect(await onlyParagraph('<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:rPr><w:vanish/></w:rPr></w:pPr>' + run('x') + '</w:p>')).toBe(
      'x',
    );
  });

  it('a text box is read once (mc:Choice, not its VML fallback), after the paragraph it is anchored in', async () => {
    const box =
      '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>' +
      p('框内文字') +
      '</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>' +
      p('框内文字') +
      '</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>';
    const d = await readDoc(await docxFromBody(para(run('正文'), box) + table(row(cell(para(run('格内'), box))))));
    expect(d.blocks).toEqual([
      { kind: 'paragraph', text: '正文' },
      { kind: 'paragraph', text: '框内文字' },
      { kind: 'table', rows: [[{ text: '格内\n框内文字', span: 1 }]] },
    ]);
  });

  it('entities, character references and CDATA', async () => {
    expect(await onlyParagraph('<w:p><w:r><w:t>&lt;&amp;&gt;&quot;&apos;&#20013;&#x6587;</w:t><w:t><![CDATA[<x>&]]></w:t></w:r></w:p>')).toBe('<&>"\'中文<x>&');
  });

  it('names by namespace, not by prefix: another prefix for WordprocessingML, and Strict Open XML', async () => {
    const other = `<?xml version="1.0"?><x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body><x:p><x:r><x:t>甲</x:t></x:r></x:p></x:body></x:document>`;
    const strict = `<?xml version="1.0"?><w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:body></w:document>`;
    const foreign = `<?xml version="1.0"?><w:document xmlns:w="urn:not-word"><w:body><w:p><w:r><w:t>丙</w:t></w:r></w:p></w:body></w:document>`;
    expect((await readDoc(await docxWithDocumentXml(other))).blocks).toEqual([{ kind: 'paragraph', text: '甲' }]);
    expect((await readDoc(await docxWithDocumentXml(strict))).blocks).toEqual([{ kind: 'paragraph', text: '乙' }]);
    expect(await read(await docxWithDocumentXml(foreign))).toMatchObject({ ok: false, problem: 'corrupt' });
  });

  it('a UTF-16 document.xml (allowed by OPC) reads like UTF-8', async () => {
    const xml = documentXml(p('申报')).replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    expect((await readDoc(await docxWithDocumentXml(bytes))).blocks).toEqual([{ kind: 'paragraph', text: '申报' }]);
  });

  it('part names are case-insensitive (WORD/DOCUMENT.XML)', async () => {
    const zip = rawZip([deflatedEntry('WORD/Document.xml', documentXml(p('ok')))]);
    expect((await readDoc(zip)).blocks).toEqual([{ kind: 'paragraph', text: 'ok' }]);
  });
});

describe('a 500-page document', () => {
  it('20,000 paragraphs and 2,000 table rows read in well under 10 s and without holding much', async () => {
    const paragraphs = Array.from({ length: 20_000 }, (_, i) => p(`第${i}段：技能大师工作室建设任务书，领办人完成的技术革新项目与带徒传技情况。`)).join('');
    const rows = Array.from({ length: 2_000 }, (_, i) =>
      row(cell(p(`${i}`)), cell(p('姓名')), cell(p('高级技师')), cell(p('2024年7月'), '<w:gridSpan w:val="2"/>')),
    ).join('');
    const bytes = await docxFromBody(paragraphs + table(rows) + p('完'));
    const m = await measure(() => read(bytes));
    if (!m.result.ok) throw new Error(m.result.message);
    const d = m.result.document;
    expect(d.blocks).toHaveLength(20_002);
    expect(tables(d)[0]!.rows).toHaveLength(2_000);
    expect(tables(d)[0]!.rows[1999]).toEqual([
      { text: '1999', span: 1 },
      { text: '姓名', span: 1 },
      { text: '高级技师', span: 1 },
      { text: '2024年7月', span: 2 },
    ]);
    console.log(
      `500 pages (${(bytes.length / 1024).toFixed(0)} KB docx): ${m.ms.toFixed(0)} ms, heap +${m.heapMB.toFixed(1)} MB, RSS +${m.rssMB.toFixed(1)} MB`,
    );
    expect(m.ms).toBeLessThan(10_000);
    expect(m.rssMB).toBeLessThan(100);
  });

  it(`more than ${WORD_LIMITS.tableRows} table rows, or more than ${WORD_LIMITS.characters} characters, is too large`, async () => {
    const rows = Array.from({ length: WORD_LIMITS.tableRows + 1 }, () => row(cell('<w:p/>'))).join('');
    const m1 = await refused(await docxFromBody(table(rows)), '申报表.docx', 'too_large', MESSAGE.tooMuchContent);
    const chunk = '字'.repeat(10_000);
    const m2 = await refused(await docxFromBody(Array.from({ length: 201 }, () => p(chunk)).join('')), '申报表.docx', 'too_large', MESSAGE.tooMuchContent);
    console.log(`5,001 rows: ${m1.ms.toFixed(0)} ms; 2,010,000 characters: ${m2.ms.toFixed(0)} ms, heap +${m2.heapMB.toFixed(1)} MB`);
  });
});

describe('files refused, each with what to do', () => {
  const report: string[] = [];
  const note = (what: string, m: { ms: number; heapMB: number; rssMB: number }) =>
    report.push(`${what}: ${m.ms.toFixed(0)} ms, heap +${m.heapMB.toFixed(1)} MB, RSS +${m.rssMB.toFixed(1)} MB`);

  it('random bytes: corrupt when named as a Word file, not Word otherwise', async () => {
    const bytes = randomBytes(64 * 1024);
    bytes[0] = 0x00; // not by chance a signature
    note('random bytes', await refused(bytes, '申报表.docx', 'corrupt', MESSAGE.corrupt));
    await refused(bytes, 'data.bin', 'not_word', '“data.bin”不是 Word 文件，助手无法读取。请发送填好的申报表 Word 文件（.docx）。');
    await refused(Buffer.alloc(0), '申报表.docx', 'corrupt', MESSAGE.corrupt);
  });

  it('a truncated .docx (a download cut short) and one with damaged data', async () => {
    const good = await docxFromBody(p('完整') + table(row(cell(p('x')))));
    note('truncated zip', await refused(good.subarray(0, Math.floor(good.length / 2)), '申报表.docx', 'corrupt', MESSAGE.corrupt));
    // The directory intact, the deflated document.xml overwritten: zlib fails or the CRC does.
    const entry = deflatedEntry('word/document.xml', documentXml(p('x'.repeat(5000))));
    const zip = rawZip([entry]);
    const damaged = Buffer.from(zip);
    for (let i = 60; i < 60 + 40; i++) damaged[i] = damaged[i]! ^ 0x5a;
    note('damaged deflate data', await refused(damaged, '申报表.docx', 'corrupt', MESSAGE.corrupt));
  });

  it('broken XML: unclosed or mismatched tags, a DOCTYPE (entity expansion), bad UTF-8, a foreign root', async () => {
    await refused(await docxWithDocumentXml(documentXml('<w:p><w:r><w:t>x</w:r></w:p>')), '申报表.docx', 'corrupt', MESSAGE.corrupt);
    await refused(await docxWithDocumentXml(documentXml('<w:p><w:r><w:t>x</w:t></w:r>')), '申报表.docx', 'corrupt', MESSAGE.corrupt);
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>' +
      `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>`;
    note('billion laughs', await refused(await docxWithDocumentXml(laughs), '申报表.docx', 'corrupt', MESSAGE.corrupt));
    await refused(await docxWithDocumentXml(documentXml('<w:p><w:r><w:t>&nbsp;</w:t></w:r></w:p>')), '申报表.docx', 'corrupt', MESSAGE.corrupt);
    const badUtf8 = Buffer.concat([Buffer.from(documentXml(p('ok')).slice(0, 200)), Buffer.from([0xc3, 0x28]), Buffer.from(documentXml(p('ok')).slice(200))]);
    await refused(await docxWithDocumentXml(badUtf8), '申报表.docx', 'corrupt', MESSAGE.corrupt);
    await refused(await docxWithDocumentXml('<?xml version="1.0"?><html><body>x</body></html>'), '申报表.docx', 'corrupt', MESSAGE.corrupt);
    await refused(await docxWithDocumentXml(''), '申报表.docx', 'corrupt', MESSAGE.corrupt);
  });

  it('a zip bomb: document.xml inflating to 1 GB, refused before inflating when the sizes are honest, and while inflating when they lie', async () => {
    const zeros = zerosDeflated(1024); // 1 GiB of zeros in about 1 MB
    const honest = rawZip([{ name: 'word/document.xml', data: zeros.data, method: 8, crc: zeros.crc, size: zeros.size }]);
    note(`zip bomb, honest sizes (${(honest.length / 1024).toFixed(0)} KB → 1 GB)`, await refused(honest, '申报表.docx', 'too_large', MESSAGE.tooMuchContent));
    // Well-formed XML all the way (a document.xml opening, then 1 GB of spaces), so only the
    // inflate limits can stop it. Declared small: inflating stops once the output passes that.
    const spaces = whitespaceDocumentDeflated(1024);
    const lying = rawZip([{ name: 'word/document.xml', data: spaces.data, method: 8, crc: spaces.crc, size: 4096 }]);
    note('zip bomb, lying sizes (declared 4 KB)', await refused(lying, '申报表.docx', 'corrupt', MESSAGE.corrupt));
    // Declared at the limit: inflating stops at the limit (20 MB), not at 1 GB.
    const atLimit = rawZip([{ name: 'word/document.xml', data: spaces.data, method: 8, crc: spaces.crc, size: WORD_LIMITS.documentXmlBytes }]);
    note('zip bomb, lying sizes (declared 20 MB)', await refused(atLimit, '申报表.docx', 'too_large', MESSAGE.tooMuchContent));
    // A bomb in another entry (a picture) is never inflated: only its declared size counts.
    const picture = rawZip([
      deflatedEntry('word/document.xml', documentXml(p('正文'))),
      { name: 'word/media/image1.png', data: zeros.data, method: 8, crc: zeros.crc, size: zeros.size },
    ]);
    note('bomb in a picture, honest', await refused(picture, '申报表.docx', 'too_large', MESSAGE.packageTooLarge));
    const pictureLying = rawZip([
      deflatedEntry('word/document.xml', documentXml(p('正文'))),
      { name: 'word/media/image1.png', data: zeros.data, method: 8, crc: zeros.crc, size: 1000 },
    ]);
    const r = await measure(() => read(pictureLying));
    expect(r.result).toEqual({ ok: true, converted: false, document: { blocks: [{ kind: 'paragraph', text: '正文' }] } });
    expect(r.rssMB).toBeLessThan(100);
  });

  it('too many entries, or a document.xml stored (not deflated) with sizes that disagree', async () => {
    const entries = [
      deflatedEntry('word/document.xml', documentXml(p('x'))),
      ...Array.from({ length: WORD_LIMITS.zipEntries }, (_, i) => deflatedEntry(`word/media/${i}.txt`, '')),
    ];
    note('2,001 entries', await refused(rawZip(entries), '申报表.docx', 'too_large', MESSAGE.tooManyParts));
    const xml = Buffer.from(documentXml(p('x')));
    const stored = rawZip([{ name: 'word/document.xml', data: xml, method: 0, crc: 0, size: xml.length + 10 }]);
    await refused(stored, '申报表.docx', 'corrupt', MESSAGE.corrupt);
    const wrongCrc = rawZip([{ ...deflatedEntry('word/document.xml', xml), crc: 12345 }]);
    await refused(wrongCrc, '申报表.docx', 'corrupt', MESSAGE.corrupt);
    const twice = rawZip([deflatedEntry('word/document.xml', documentXml(p('a'))), deflatedEntry('word/document.xml', documentXml(p('b')))]);
    await refused(twice, '申报表.docx', 'corrupt', MESSAGE.corrupt);
  });

  it('an encrypted .docx (a compound file with EncryptionInfo and EncryptedPackage, built by hand)', async () => {
    const cfb = compoundFile([
      { name: 'EncryptionInfo', data: Buffer.alloc(4096, 1) },
      { name: 'EncryptedPackage', data: randomBytes(8192) },
      { name: '\u0006DataSpaces' },
    ]);
    note('encrypted docx', await refused(cfb, '申报表.docx', 'encrypted', MESSAGE.encrypted));
  });

  it('an old .doc: encrypted (FibBase.fEncrypted) is refused; otherwise it needs converting', async () => {
    await refused(compoundFile([{ name: 'WordDocument', data: wordDocumentStream(true) }, { name: '1Table' }]), '申报表.doc', 'encrypted', MESSAGE.encrypted);
    const doc = compoundFile([{ name: 'WordDocument', data: wordDocumentStream(false) }, { name: '1Table' }]);
    await refused(doc, '申报表.doc', 'needs_docx', MESSAGE.needsDocx);
    // A WPS file or a .doc renamed .docx: the bytes decide, not the name.
    await refused(doc, '申报表.docx', 'needs_docx', MESSAGE.needsDocx);
    await refused(Buffer.from('{\\rtf1\\ansi 申报表}'), '申报表.doc', 'needs_docx', MESSAGE.needsDocx);
  });

  it('an old .doc goes through the converter given: converted when it works, needs_docx when it cannot', async () => {
    const doc = compoundFile([{ name: 'WordDocument', data: wordDocumentStream(false) }]);
    const converted = tempFile('out.docx', await docxFromBody(p('转换后')));
    let cleaned = 0;
    const calls: string[] = [];
    const convert = async (path: string): Promise<ConvertResult> => {
      calls.push(path);
      return { ok: true, path: converted, cleanup: async () => void cleaned++ };
    };
    expect(await read(doc, '申报表.doc', convert)).toEqual({ ok: true, converted: true, document: { blocks: [{ kind: 'paragraph', text: '转换后' }] } });
    expect(calls).toHaveLength(1);
    expect(cleaned).toBe(1);
    for (const reason of ['unavailable', 'failed', 'timeout'] as const) {
      expect(await read(doc, '申报表.doc', async () => ({ ok: false, reason }))).toEqual({ ok: false, problem: 'needs_docx', message: MESSAGE.needsDocx });
    }
    // A converter that hands back something unreadable: the applicant is still told to save as .docx.
    const garbage = tempFile('bad.docx', Buffer.from('PK\u0003\u0004 broken'));
    expect(await read(doc, '申报表.doc', async () => ({ ok: true, path: garbage }))).toEqual({ ok: false, problem: 'needs_docx', message: MESSAGE.needsDocx });
    // A .docx is never sent to the converter.
    const docx = await docxFromBody(p('x'));
    expect(await read(docx, '申报表.docx', convert)).toMatchObject({ ok: true, converted: false });
    expect(calls).toHaveLength(1);
  });

  it('not a Word file: says what it is', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    await refused(pdf, '申报表.pdf', 'not_word', '“申报表.pdf”是 PDF 文档，不是 Word 文件，助手无法从中读取申报表。请发送填好的申报表 Word 文件（.docx）。');
    const xlsx = rawZip([deflatedEntry('[Content_Types].xml', '<Types/>'), deflatedEntry('xl/workbook.xml', '<workbook/>')]);
    await refused(
      xlsx,
      '名单.xlsx',
      'not_word',
      '“名单.xlsx”是 Excel 表格（.xlsx），不是 Word 文件，助手无法从中读取申报表。请发送填好的申报表 Word 文件（.docx）。',
    );
    const zip = rawZip([deflatedEntry('申报材料/申报表.docx', 'x')]);
    await refused(zip, '申报材料.zip', 'not_word', '“申报材料.zip”是 ZIP 压缩包，不是 Word 文件。请解压后只发送其中填好的申报表（.docx）。');
    const xls = compoundFile([{ name: 'Workbook', data: Buffer.alloc(4096) }]);
    await refused(
      xls,
      '名单.xls',
      'not_word',
      '“名单.xls”是 Excel 表格（.xls），不是 Word 文件，助手无法从中读取申报表。请发送填好的申报表 Word 文件（.docx）。',
    );
  });

  it('damaged anywhere (bytes flipped or cut at random), a file gets an answer, never an exception', async () => {
    const docx = await docxFromBody(p('标题') + table(row(cell(p('a'), '<w:gridSpan w:val="2"/>')), row(cell(p('b')), cell(p('c')))));
    const doc = compoundFile([{ name: 'WordDocument', data: wordDocumentStream(false) }, { name: '1Table' }]);
    let seed = 21;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const problems = new Map<string, number>();
    const start = performance.now();
    for (let i = 0; i < 1000; i++) {
      const base = i % 2 ? docx : doc;
      let bytes = Buffer.from(base);
      const flips = 1 + random(8);
      // Mostly where the structure is: a zip's central directory and end record, a compound
      // file's header, FAT and directory sectors.
      const where = () => (random(3) === 0 ? random(bytes.length) : i % 2 ? bytes.length - 1 - random(Math.min(bytes.length, 600)) : random(1536));
      for (let k = 0; k < flips; k++) bytes[where()] = random(256);
      if (random(4) === 0) bytes = bytes.subarray(0, random(bytes.length));
      const r = await read(bytes, i % 2 ? '申报表.docx' : '申报表.doc');
      const key = r.ok ? 'ok' : r.problem;
      problems.set(key, (problems.get(key) ?? 0) + 1);
    }
    console.log(`1,000 damaged files in ${(performance.now() - start).toFixed(0)} ms:`, Object.fromEntries(problems));
    expect([...problems.keys()].every((k) => ['ok', 'corrupt', 'needs_docx', 'not_word', 'encrypted', 'too_large'].includes(k))).toBe(true);
  });

  it('prints the measured bounds', () => {
    console.log(report.join('\n'));
    expect(report.length).toBeGreaterThan(5);
  });
});
