// Reading exports back the way a checker would: the .docx's tables from word/document.xml (cell
// texts, paragraphs joined by newlines), the .xlsx's sheets with exceljs, the .zip's entries.

import ExcelJS from 'exceljs';
import JSZip from 'jszip';

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export async function docxXml(data: Buffer, part = 'word/document.xml'): Promise<string> {
  const zip = await JSZip.loadAsync(data);
  const file = zip.file(part);
  if (!file) throw new Error(`${part} missing from the docx`);
  return file.async('string');
}

/** Every table row of the document, each as its cells' texts. */
export async function docxRows(data: Buffer): Promise<string[][]> {
  const xml = await docxXml(data);
  return [...xml.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map(([tr]) =>
    [...tr.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map(([tc]) =>
      [...tc.matchAll(/<w:p[ >][\s\S]*?<\/w:p>|<w:p\/>/g)]
        .map(([p]) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescapeXml(m[1]!)).join(''))
        .join('\n')
        .trim(),
    ),
  );
}

/** Paragraph texts outside tables too (title lines). */
export async function docxText(data: Buffer): Promise<string> {
  const xml = await docxXml(data);
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => unescapeXml(m[1]!)).join('');
}

export async function zipEntries(data: Buffer): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(data);
  const out = new Map<string, Buffer>();
  for (const [name, f] of Object.entries(zip.files)) if (!f.dir) out.set(name, await f.async('nodebuffer'));
  return out;
}

/** Sheet name → rows of cell texts (1-based columns flattened to an array). */
export async function xlsxSheets(data: Buffer): Promise<Map<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const out = new Map<string, string[][]>();
  wb.eachSheet((ws) => {
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const cells: string[] = [];
      for (let i = 1; i <= ws.columnCount; i++) {
        const v = row.getCell(i).value;
        cells.push(v === null || v === undefined ? '' : String(v));
      }
      rows.push(cells);
    });
    out.set(ws.name, rows);
  });
  return out;
}
