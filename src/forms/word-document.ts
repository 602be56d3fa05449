// A Word document as the form import reads it (issue 21): its body in order, paragraphs and tables,
// each table a grid of cells with their text. Read by src/files/word.ts (bounded unzip and XML,
// LibreOffice for .doc/.wps); recognised against a programme's form by src/forms/form-import.ts.
// Types only: both sides depend on this, neither on the other.

export interface WordCell {
  /** The cell's paragraphs joined by "\n", runs concatenated; check boxes as ☑ / ☐ (a content control, a Wingdings box, or a typed ☑ √ ■). */
  text: string;
  /** Columns this cell covers (w:gridSpan), 1 by default. */
  span: number;
  /**
   * A vertically merged cell (w:vMerge): 'restart' opens the merge, 'continue' is covered by the cell
   * above (its own text is empty in Word).
   */
  vMerge?: 'restart' | 'continue';
}

export interface WordTable {
  kind: 'table';
  rows: WordCell[][];
}

export interface WordParagraph {
  kind: 'paragraph';
  text: string;
}

export interface WordDocument {
  /** Paragraphs outside tables and tables, in document order (nested tables flattened after their parent). */
  blocks: (WordParagraph | WordTable)[];
}
