//! Follows a CSV file byte by byte, as the csv crate reads it, for two things the crate does
//! not give: the physical line each record starts on (LF, CRLF and a lone CR each end one line,
//! as a text editor or spreadsheet counts them; blank lines and line breaks inside quoted cells
//! count too), and the size of each cell while it is being read, so that a cell over its limit
//! is refused when it crosses the limit instead of after it has been read into memory.
//!
//! The states mirror csv-core's reader with the settings imports use (`,`, `"` doubled inside
//! quotes, any of CR, LF and CRLF ending a record), so records start where the crate's do.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufWriter, Read, Write};

/// Where the reader is in the CSV grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: line breaks here are blank lines.
    StartRecord,
    /// At the start of a cell.
    StartField,
    /// In a cell that did not start with a quote.
    InField,
    /// In a quoted cell.
    InQuoted,
    /// Just after a `"` in a quoted cell: the closing quote, or the first of a doubled one.
    QuoteInQuoted,
}

/// The limits a file is read within, in bytes unless said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Limits {
    /// A cell of the header (a column name).
    pub(super) header_cell: u64,
    /// A cell of a row, unless the header gives its column another limit.
    pub(super) cell: u64,
    /// The cells of one record, header or row.
    pub(super) cells: usize,
    /// A whole row.
    pub(super) row: u64,
}

/// What is over its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Excess {
    /// One cell is too long.
    Cell,
    /// A record has too many cells.
    Cells,
    /// A row is too long as a whole.
    Row,
}

/// Something read that is over its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Overflow {
    pub(super) excess: Excess,
    /// The line it starts on: the cell's line, or the record's.
    pub(super) line: u64,
    /// True in the header.
    pub(super) in_header: bool,
    /// The place of the cell in the record, from 0.
    pub(super) field: usize,
    /// How long it is (bytes, or cells): all of it, or (when `complete` is false) as far as it
    /// was read.
    pub(super) length: u64,
    pub(super) complete: bool,
    /// The limit it is over.
    pub(super) limit: u64,
    /// True for a quoted cell that runs over more than one line: most likely a quote that was
    /// never closed.
    pub(super) quoted_lines: bool,
}

/// How far the length of a cell over its limit is counted before giving up (the count is
/// for the message; an input that never ends is not read for long).
const COUNT_AT_MOST: u64 = 256 << 20;

/// The state of one pass through a file.
#[derive(Debug)]
pub(super) struct Scan {
    state: State,
    /// Bytes seen so far.
    offset: u64,
    /// The line of the next byte, from 1.
    line: u64,
    after_cr: bool,
    /// Where each record not yet claimed starts: its byte offset and line.
    starts: VecDeque<(u64, u64)>,
    /// Records begun so far; the first is the header.
    records: u64,
    record_line: u64,
    record_len: u64,
    field: usize,
    field_len: u64,
    field_line: u64,
    field_quoted: bool,
    /// The limit of the current cell.
    field_limit: u64,
    limits: Limits,
    /// The limit of each cell of a row, by its place, once the header is known.
    columns: Vec<u64>,
    overflow: Option<Overflow>,
}

impl Scan {
    pub(super) fn new(limits: Limits) -> Scan {
        Scan {
            state: State::StartRecord,
            offset: 0,
            line: 1,
            after_cr: false,
            starts: VecDeque::new(),
            records: 0,
            record_line: 1,
            record_len: 0,
            field: 0,
            field_len: 0,
            field_line: 1,
            field_quoted: false,
            field_limit: limits.header_cell,
            limits,
            columns: Vec::new(),
            overflow: None,
        }
    }

    /// Sets the limit of each cell of the rows by its place, once the header is known, and of
    /// cells past the last place (until then, every cell has the limit of `Limits::cell`). The
    /// cell being read, if any, gets its new limit.
    pub(super) fn set_columns(&mut self, columns: Vec<u64>, beyond: u64) {
        self.columns = columns;
        self.limits.cell = beyond;
        if self.records > 1 {
            self.field_limit = self.limit();
        }
    }

    /// What was found over its limit, if anything.
    pub(super) fn overflow(&self) -> Option<&Overflow> {
        self.overflow.as_ref()
    }

    /// The line of the next byte: at the end, the number of lines read (plus one after a
    /// final line break).
    pub(super) fn line(&self) -> u64 {
        self.line
    }

    /// The line the record starting at byte `offset` (as the csv crate reports a record's
    /// position: possibly before blank lines that precede it) is on. Records are claimed in
    /// order; earlier ones not claimed are forgotten.
    pub(super) fn record_line(&mut self, offset: u64) -> u64 {
        while let Some(&(start, line)) = self.starts.front() {
            self.starts.pop_front();
            if start >= offset {
                return line;
            }
        }
        self.line
    }

    /// The line a quoted cell that is still open at the end of the input starts on, when the
    /// open cell holds a line break (and so has swallowed the lines after it).
    pub(super) fn unclosed_quote(&self) -> Option<u64> {
        (self.state == State::InQuoted && self.line > self.field_line).then_some(self.field_line)
    }

    fn limit(&self) -> u64 {
        if self.records <= 1 {
            self.limits.header_cell
        } else {
            self.columns
                .get(self.field)
                .copied()
                .unwrap_or(self.limits.cell)
        }
    }

    fn start_record(&mut self) {
        self.starts.push_back((self.offset, self.line));
        self.records += 1;
        self.record_line = self.line;
        self.record_len = 0;
        self.field = 0;
        self.start_field();
        self.state = State::StartField;
    }

    fn start_field(&mut self) {
        self.field_len = 0;
        self.field_line = self.line;
        self.field_quoted = false;
        self.field_limit = self.limit();
    }

    fn next_field(&mut self) {
        self.field += 1;
        self.start_field();
        self.state = State::StartField;
        if self.field >= self.limits.cells {
            self.exceed(
                Excess::Cells,
                self.limits.cells as u64 + 1,
                self.limits.cells as u64,
            );
        }
    }

    /// Reads `bytes`; false when something went over its limit (see [`Scan::overflow`]).
    pub(super) fn feed(&mut self, bytes: &[u8]) -> bool {
        let mut i = 0;
        while i < bytes.len() {
            // Most bytes are the plain text of a cell: a run of them is taken at once.
            if matches!(self.state, State::InField | State::InQuoted) {
                let run = bytes[i..]
                    .iter()
                    .take_while(|&&b| !matches!(b, b',' | b'"' | b'\r' | b'\n'))
                    .count();
                if run > 0 {
                    i += run;
                    self.offset += run as u64;
                    self.after_cr = false;
                    if !self.count(run as u64) {
                        return false;
                    }
                    continue;
                }
            }
            let b = bytes[i];
            i += 1;
            let term = b == b'\r' || b == b'\n';
            let mut copied = false;
            if self.state == State::StartRecord && !term {
                self.start_record();
            }
            match self.state {
                State::StartRecord => {}
                State::StartField => {
                    if b == b'"' {
                        self.field_quoted = true;
                        self.state = State::InQuoted;
                    } else if b == b',' {
                        self.next_field();
                    } else if term {
                        self.state = State::StartRecord;
                    } else {
                        copied = true;
                        self.state = State::InField;
                    }
                }
                State::InField => {
                    if b == b',' {
                        self.next_field();
                    } else if term {
                        self.state = State::StartRecord;
                    } else {
                        copied = true;
                    }
                }
                State::InQuoted => {
                    if b == b'"' {
                        self.state = State::QuoteInQuoted;
                    } else {
                        copied = true;
                    }
                }
                State::QuoteInQuoted => {
                    if b == b'"' {
                        copied = true;
                        self.state = State::InQuoted;
                    } else if b == b',' {
                        self.next_field();
                    } else if term {
                        self.state = State::StartRecord;
                    } else {
                        copied = true;
                        self.state = State::InField;
                    }
                }
            }
            self.offset += 1;
            if b == b'\r' || (b == b'\n' && !self.after_cr) {
                self.line += 1;
            }
            self.after_cr = b == b'\r';
            if !self.count(u64::from(copied)) {
                return false;
            }
        }
        self.overflow.is_none()
    }

    /// Counts `n` bytes read into the current cell (0 for a byte that is not part of it); false
    /// when the reading must stop.
    fn count(&mut self, n: u64) -> bool {
        if n > 0 {
            self.field_len += n;
            self.record_len += n;
            if self.field_len > self.field_limit {
                self.exceed(Excess::Cell, self.field_len, self.field_limit);
            } else if self.record_len > self.limits.row && self.records > 1 {
                self.exceed(Excess::Row, self.record_len, self.limits.row);
            }
        }
        if let Some(overflow) = &mut self.overflow {
            let cell_ended = overflow.excess == Excess::Cell
                && n == 0
                && (self.state == State::StartRecord || self.field != overflow.field);
            if cell_ended {
                overflow.complete = true;
            }
            if overflow.excess != Excess::Cell || cell_ended {
                return false;
            }
        }
        true
    }

    /// Notes (or, for a cell being measured, updates) what is over its limit.
    fn exceed(&mut self, excess: Excess, length: u64, limit: u64) {
        let line = match excess {
            Excess::Cell => self.field_line,
            Excess::Cells | Excess::Row => self.record_line,
        };
        let overflow = self.overflow.get_or_insert(Overflow {
            excess,
            line,
            in_header: self.records <= 1,
            field: self.field,
            length,
            complete: false,
            limit,
            quoted_lines: false,
        });
        overflow.length = length;
        overflow.quoted_lines |= self.field_quoted && self.line > self.field_line;
    }

    /// Marks the end of the input: a cell over its limit ends there.
    fn finish(&mut self) {
        if let Some(overflow) = &mut self.overflow
            && overflow.excess == Excess::Cell
        {
            overflow.complete = true;
        }
    }

    /// True while a cell over its limit is being measured.
    fn measuring(&self) -> bool {
        self.overflow
            .as_ref()
            .is_some_and(|o| o.excess == Excess::Cell && !o.complete && o.length < COUNT_AT_MOST)
    }
}

/// The error a [`Tracked`] read gives when a cell is over its limit.
#[derive(Debug, thiserror::Error)]
#[error("a cell is over its limit")]
pub(super) struct OverLimit;

/// A reader that runs a [`Scan`] over every byte it passes on, and may keep a copy of them
/// (the private spool of a pipe). A cell over its limit stops the reading with [`OverLimit`],
/// once the length of that cell has been measured (without keeping it).
pub(super) struct Tracked {
    inner: Box<dyn BufRead + Send>,
    pub(super) scan: Scan,
    copy: Option<BufWriter<File>>,
}

impl Tracked {
    pub(super) fn new(inner: Box<dyn BufRead + Send>, scan: Scan, copy: Option<File>) -> Tracked {
        Tracked {
            inner,
            scan,
            copy: copy.map(|file| BufWriter::with_capacity(1 << 16, file)),
        }
    }

    /// Writes out the rest of the copy and gives back its file.
    pub(super) fn into_copy(self) -> io::Result<Option<File>> {
        match self.copy {
            Some(copy) => Ok(Some(copy.into_inner().map_err(|e| e.into_error())?)),
            None => Ok(None),
        }
    }

    /// Reads on to the end of a cell over its limit, only counting, so the message can say
    /// how long it is.
    fn measure(&mut self) -> io::Result<()> {
        while self.scan.measuring() {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                self.scan.finish();
                break;
            }
            let n = chunk.len();
            self.scan.feed(chunk);
            self.inner.consume(n);
        }
        Ok(())
    }
}

impl Read for Tracked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.scan.overflow.is_some() {
            return Err(io::Error::other(OverLimit));
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            self.scan.finish();
        }
        if !self.scan.feed(&buf[..n]) || self.scan.overflow.is_some() {
            self.measure()?;
            return Err(io::Error::other(OverLimit));
        }
        if let Some(copy) = &mut self.copy {
            copy.write_all(&buf[..n]).map_err(|err| {
                io::Error::new(
                    err.kind(),
                    format!(
                        "copying the input to a temporary file in {}: {err}",
                        std::env::temp_dir().display()
                    ),
                )
            })?;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const WIDE: Limits = Limits {
        header_cell: 1 << 20,
        cell: 1 << 20,
        cells: 1000,
        row: 1 << 30,
    };

    const NARROW: Limits = Limits {
        header_cell: 1024,
        cell: 64,
        cells: 5,
        row: 150,
    };

    /// The line each record of `text` starts on, as found by claiming them in order with the
    /// offsets the csv crate gives.
    fn record_lines(text: &str) -> Vec<u64> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Tracked::new(
                Box::new(io::Cursor::new(text.as_bytes().to_vec())),
                Scan::new(WIDE),
                None,
            ));
        let mut record = csv::ByteRecord::new();
        let mut lines = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let offset = record.position().unwrap().byte();
            lines.push(reader.get_mut().scan.record_line(offset));
        }
        lines
    }

    #[test]
    fn lines_are_counted_as_editors_count_them() {
        let lf = "a,b\n1,2\n\n3,4\n";
        assert_eq!(record_lines(lf), [1, 2, 4]);
        assert_eq!(record_lines(&lf.replace('\n', "\r\n")), [1, 2, 4]);
        assert_eq!(record_lines(&lf.replace('\n', "\r")), [1, 2, 4]);
        // No line break at the end; blank lines before the header.
        assert_eq!(record_lines("\n\r\na,b\n1,2"), [3, 4]);
        // Blank lines of each kind, one after another: \r\n is one line end, \n\r two.
        assert_eq!(record_lines("a\n\r\n\r\n\rb\n\n\nc"), [1, 5, 8]);
    }

    #[test]
    fn line_breaks_inside_quoted_cells_count() {
        let text = "a,b|\"one|two\",x|3,\"||\"|4,y|";
        for end in ["\n", "\r\n", "\r"] {
            assert_eq!(
                record_lines(&text.replace('|', end)),
                [1, 2, 4, 7],
                "{end:?}"
            );
        }
        // A doubled quote does not close the cell; a quote inside an unquoted cell is a quote.
        assert_eq!(record_lines("a\n\"x\"\"\ny\"\nb\"c\nd"), [1, 2, 4, 5]);
    }

    #[test]
    fn records_start_where_the_csv_crate_says() {
        // Every record found by the scan is one the crate read, whatever the mix of endings.
        let text = "h\r\n\r\n\"q\r\n\"\"\"\r\r\n\nx,\"y\"z\r\"\"\n,\n";
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let crate_records = reader.byte_records().count();
        let mut scan = Scan::new(WIDE);
        scan.feed(text.as_bytes());
        assert_eq!(scan.records as usize, crate_records);
        assert_eq!(record_lines(text), [1, 3, 7, 8, 9]);
    }

    #[test]
    fn a_cell_over_its_limit_is_measured_and_stops_the_reading() {
        let header = format!("a,{}\n1,2\n", "x".repeat(5000));
        let mut tracked = Tracked::new(
            Box::new(io::BufReader::with_capacity(
                64,
                io::Cursor::new(header.into_bytes()),
            )),
            Scan::new(NARROW),
            None,
        );
        let mut sink = Vec::new();
        let err = tracked.read_to_end(&mut sink).unwrap_err();
        assert!(err.get_ref().unwrap().is::<OverLimit>());
        let overflow = tracked.scan.overflow().unwrap();
        assert_eq!(
            (overflow.line, overflow.field, overflow.length),
            (1, 1, 5000)
        );
        assert!(overflow.in_header && overflow.complete);
        assert!(sink.len() < 2048, "read {} bytes into memory", sink.len());

        let rows = format!("a,b\n1,2\n\n3,\"{}", "y\n".repeat(100));
        let mut tracked = Tracked::new(
            Box::new(io::Cursor::new(rows.into_bytes())),
            Scan::new(NARROW),
            None,
        );
        let err = tracked.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.get_ref().unwrap().is::<OverLimit>());
        let overflow = tracked.scan.overflow().unwrap();
        assert_eq!(
            (overflow.line, overflow.field, overflow.length),
            (4, 1, 200)
        );
        assert!(!overflow.in_header && overflow.quoted_lines && overflow.complete);
    }

    #[test]
    fn too_many_cells_or_too_long_a_row_stops_the_reading_at_once() {
        let read = |text: String| {
            let mut tracked = Tracked::new(
                Box::new(io::Cursor::new(text.into_bytes())),
                Scan::new(NARROW),
                None,
            );
            assert!(tracked.read_to_end(&mut Vec::new()).is_err());
            tracked.scan.overflow().unwrap().clone()
        };
        let overflow = read(format!("a,b\n\n1,2\n{}\n", ",".repeat(1000)));
        assert_eq!(overflow.excess, Excess::Cells);
        assert_eq!(
            (overflow.line, overflow.length, overflow.in_header),
            (4, 6, false)
        );
        let overflow = read(format!("{}\n", ",".repeat(1000)));
        assert_eq!(
            (overflow.excess, overflow.line, overflow.in_header),
            (Excess::Cells, 1, true)
        );
        let cell = "x".repeat(60);
        let overflow = read(format!("a,b\r\n1,2\r\n{cell},{cell},{cell}\r\n"));
        assert_eq!(overflow.excess, Excess::Row);
        assert_eq!((overflow.line, overflow.limit), (3, 150));
        assert!(overflow.length > 150);
    }

    #[test]
    fn an_open_quote_at_the_end_is_found_only_when_it_swallowed_lines() {
        let mut scan = Scan::new(WIDE);
        scan.feed(b"a,b\n1,\"two\n3,4\n");
        assert_eq!(scan.unclosed_quote(), Some(2));
        let mut scan = Scan::new(WIDE);
        scan.feed(b"a,b\n1,\"two");
        assert_eq!(scan.unclosed_quote(), None);
        let mut scan = Scan::new(WIDE);
        scan.feed(b"a,b\n1,\"two\"\n");
        assert_eq!(scan.unclosed_quote(), None);
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::tests::WIDE;
    use super::*;

    /// Text made of the pieces that matter to records and lines.
    fn csvish() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop_oneof![
            Just(&b"a"[..]),
            Just(&b"x y"[..]),
            Just(&b","[..]),
            Just(&b"\""[..]),
            Just(&b"\"\""[..]),
            Just(&b"\r"[..]),
            Just(&b"\n"[..]),
            Just(&b"\r\n"[..]),
        ];
        proptest::collection::vec(pieces, 0..60).prop_map(|parts| parts.concat())
    }

    /// Line breaks as an editor counts them: CRLF once, a lone CR or LF once each.
    fn breaks(bytes: &[u8]) -> u64 {
        let mut count = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\r' || (b == b'\n' && (i == 0 || bytes[i - 1] != b'\r')) {
                count += 1;
            }
        }
        count
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn every_record_is_on_the_line_its_first_byte_is_on(bytes in csvish()) {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(Tracked::new(
                    Box::new(io::Cursor::new(bytes.clone())),
                    Scan::new(WIDE),
                    None,
                ));
            let mut record = csv::ByteRecord::new();
            while reader.read_byte_record(&mut record).unwrap() {
                // The crate's position may be before the blank lines that precede the record.
                let mut start = record.position().unwrap().byte() as usize;
                while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                    start += 1;
                }
                let line = reader.get_mut().scan.record_line(record.position().unwrap().byte());
                prop_assert_eq!(line, 1 + breaks(&bytes[..start]));
            }
        }
    }
}
