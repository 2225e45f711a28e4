/**
 * Byte offsets → line and column, computed only for the few offsets that hold a finding. Lines end at `\n`,
 * `\r\n` or a lone `\r`; columns are 1-based UTF-16 code units (what editors, SARIF and ESLint count), so a
 * UTF-8 lead byte counts one — a 4-byte sequence two (a surrogate pair) — and continuation bytes nothing.
 * Fed chunk by chunk, so a file of gigabytes is counted in bounded memory.
 */
export interface Position {
  line: number;
  column: number;
}

export class PositionCounter {
  private line = 1;
  private column = 1;
  private previous = -1;
  /** Stream offset of the next byte to be fed. */
  private offset: number;
  private next = 0;
  readonly positions: Position[] = [];

  /**
   * @param targets stream offsets, ascending
   * @param start stream offset of the first byte that will be fed (after a byte-order mark)
   */
  constructor(
    private readonly targets: readonly number[],
    start: number,
  ) {
    this.offset = start;
  }

  get done(): boolean {
    return this.next >= this.targets.length;
  }

  /** Counts `buf[from, to)`, whose first byte is at the current stream offset. */
  feed(buf: Uint8Array, from: number, to: number): void {
    let { line, column, previous, offset } = this;
    const targets = this.targets;
    let next = this.next;
    for (let i = from; i < to && next < targets.length; i++, offset++) {
      while (next < targets.length && targets[next] === offset) {
        this.positions.push({ line, column });
        next++;
      }
      const b = buf[i]!;
      if (b === 0x0a) {
        if (previous !== 0x0d) line++;
        column = 1;
      } else if (b === 0x0d) {
        line++;
        column = 1;
      } else if ((b & 0xc0) !== 0x80) {
        column += b >= 0xf0 ? 2 : 1;
      }
      previous = b;
    }
    // a target right at the end of what was fed (the last byte of a file is never a key's start, but be exact)
    while (next < targets.length && targets[next] === offset) {
      this.positions.push({ line, column });
      next++;
    }
    this.line = line;
    this.column = column;
    this.previous = previous;
    this.offset = offset;
    this.next = next;
  }
}
