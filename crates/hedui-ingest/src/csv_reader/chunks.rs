//! Cuts a delimited text file into large UTF-8 chunks that each hold whole records, so the
//! chunks can be parsed in parallel.
//!
//! A cut is made only just after a `\n` that the csv parser would read as (part of) a
//! record terminator, never after one inside a quoted field. [`QuoteScanner`] decides
//! that by following the same states as `csv_core`'s reader (quotes open only at the start
//! of a field, `""` inside quotes is a literal quote, `\r`, `\n` and `\r\n` all end a
//! record). After such a `\n` the parser is back in its initial state, so parsing the
//! chunks one by one gives exactly the records of parsing the whole file, and a chunk's
//! first physical line is one more than the `\n`s before it.
//!
//! Decoding to UTF-8 happens here, before the cut: ASCII bytes of UTF-8 text are always
//! the characters they look like, which is not true of every legacy encoding's bytes.

use std::fs::File;
use std::io::Read;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use encoding_rs::{Decoder, DecoderResult, Encoding};

/// How many bytes of the file are read at a time.
const READ_BYTES: usize = 1 << 20;

/// Stands in the decoded text for bytes the encoding cannot decode, so the rows holding
/// them can be quarantined. U+FFFD would not do: exports write it on purpose, for a rare
/// character their system could not store. U+FFFE is a noncharacter no export writes.
pub(crate) const UNDECODABLE: char = '\u{FFFE}';

/// A run of whole records and the physical line its first byte is on.
#[derive(Debug)]
pub(crate) struct Chunk {
    pub text: String,
    pub first_line: u64,
    /// Whether this is the last chunk of the file.
    pub last: bool,
    /// Whether the text holds [`UNDECODABLE`] anywhere.
    pub undecodable: bool,
    /// Where the text's buffer goes back to when the chunk is dropped.
    home: Option<SyncSender<String>>,
}

impl Drop for Chunk {
    /// Hands the buffer back to its chunker, emptied, if it still wants buffers: a fresh
    /// one was faulted in page by page, a quarter of the reading thread's time.
    fn drop(&mut self) {
        if let Some(home) = self.home.take() {
            let mut text = std::mem::take(&mut self.text);
            text.clear();
            let _ = home.try_send(text);
        }
    }
}

impl Chunk {
    pub fn new(text: String, first_line: u64, last: bool) -> Chunk {
        let mut marker = [0u8; 4];
        let marker = UNDECODABLE.encode_utf8(&mut marker).as_bytes();
        Chunk {
            undecodable: memchr::memmem::find(text.as_bytes(), marker).is_some(),
            text,
            first_line,
            last,
            home: None,
        }
    }
}

/// Where the csv parser is, as far as telling a record-ending `\n` apart goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a record or a field: a quote here opens a quoted field.
    FieldStart,
    /// In an unquoted field, or in a quoted one after its closing quote.
    Field,
    Quoted,
    /// Just after a quote inside a quoted field: `"` again is a literal quote.
    QuoteInQuoted,
}

/// Follows the parser's quoting state byte by byte over UTF-8 text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct QuoteScanner {
    state: State,
    delimiter: u8,
}

impl QuoteScanner {
    /// `delimiter` is one the reader sniffs (`,` `;` tab `|`): never a quote or a line
    /// break, which [`QuoteScanner::scan`] relies on.
    pub fn new(delimiter: u8) -> Self {
        QuoteScanner {
            state: State::FieldStart,
            delimiter,
        }
    }

    /// Scans `bytes`; returns the offset just past the last `\n` that ends a record, if any.
    ///
    /// Quotes are rare in exports, so the scan jumps from quote to quote: between two, the
    /// only question is where the last `\n` is and what the byte before the next quote is.
    /// That visits every byte through memchr's vector search instead of a state
    /// transition per byte, which cost a second of a prefecture's ingest on the one
    /// thread that reads each file. `QuoteScanner::scan_bytewise` (in test builds) is the
    /// plain reading the tests hold this one to.
    pub fn scan(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut cut = None;
        let mut state = self.state;
        let mut at = 0;
        while at < bytes.len() {
            match state {
                State::Quoted => match memchr::memchr(b'"', &bytes[at..]) {
                    Some(offset) => {
                        at += offset + 1;
                        state = State::QuoteInQuoted;
                    }
                    None => at = bytes.len(),
                },
                State::QuoteInQuoted => {
                    state = self.step(state, bytes[at], at, &mut cut);
                    at += 1;
                }
                State::FieldStart | State::Field => {
                    let quote = memchr::memchr(b'"', &bytes[at..]).map_or(bytes.len(), |o| at + o);
                    let unquoted = &bytes[at..quote];
                    if let Some(newline) = memchr::memrchr(b'\n', unquoted) {
                        cut = Some(at + newline + 1);
                    }
                    if let Some(&last) = unquoted.last() {
                        state = self.after_unquoted(last);
                    }
                    if quote < bytes.len() {
                        state = self.step(state, b'"', quote, &mut cut);
                    }
                    at = quote + 1;
                }
            }
        }
        self.state = state;
        cut
    }

    /// The state after byte `b` at offset `at`, noting a record-ending `\n` in `cut`.
    fn step(&self, state: State, b: u8, at: usize, cut: &mut Option<usize>) -> State {
        match (state, b) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::FieldStart, b'"') | (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b'\n') => {
                *cut = Some(at + 1);
                State::FieldStart
            }
            (_, b) => self.after_unquoted(b),
        }
    }

    /// The state after a byte that is neither a quote nor inside quotes.
    fn after_unquoted(&self, b: u8) -> State {
        if b == b'\n' || b == b'\r' || b == self.delimiter {
            State::FieldStart
        } else {
            State::Field
        }
    }

    /// [`QuoteScanner::scan`], one state transition per byte.
    #[cfg(test)]
    pub fn scan_bytewise(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut cut = None;
        let mut state = self.state;
        for (at, &b) in bytes.iter().enumerate() {
            state = self.step(state, b, at, &mut cut);
        }
        self.state = state;
        cut
    }
}

/// Reads, decodes and cuts one file.
pub(crate) struct Chunker<R = File> {
    input: R,
    decoder: Decoder,
    raw: Vec<u8>,
    /// Decoded text not yet handed out; `scanned` bytes of it have been through `scanner`.
    pending: String,
    scanned: usize,
    /// Bytes of `pending` already looked at for a lone `\r` (see [`Chunker::lone_returns`]).
    returns_checked: usize,
    /// The last record boundary found in `pending`.
    cut: Option<usize>,
    scanner: QuoteScanner,
    next_line: u64,
    chunk_bytes: usize,
    eof: bool,
    /// Buffers of dropped chunks, for the next ones.
    spare: Receiver<String>,
    returned: SyncSender<String>,
}

/// Buffers kept for reuse: as many as there are chunks in flight, about.
const SPARE_BUFFERS: usize = 8;

impl<R: Read> Chunker<R> {
    /// `encoding` decodes the bytes; a byte-order mark, if present, overrides it and is
    /// dropped. Chunks hold about `chunk_bytes` of text (more when one record is longer).
    pub fn new(input: R, encoding: &'static Encoding, delimiter: u8, chunk_bytes: usize) -> Self {
        let (returned, spare) = sync_channel(SPARE_BUFFERS);
        Chunker {
            input,
            decoder: encoding.new_decoder(),
            // Small chunks read small blocks too, so tests reach every decoding boundary.
            raw: vec![0; chunk_bytes.clamp(1, READ_BYTES)],
            pending: String::new(),
            scanned: 0,
            returns_checked: 0,
            cut: None,
            scanner: QuoteScanner::new(delimiter),
            next_line: 1,
            chunk_bytes: chunk_bytes.max(1),
            eof: false,
            spare,
            returned,
        }
    }

    /// The next chunk; `None` after the last one. A read error ends the file.
    pub fn next_chunk(&mut self) -> Option<std::io::Result<Chunk>> {
        loop {
            if let Some(cut) = self.cut.filter(|_| self.pending.len() >= self.chunk_bytes) {
                // Room for a whole chunk and the blocks decoded into it, so the buffer
                // is not grown (and copied) block by block.
                let room = self.chunk_bytes.saturating_add(4 * self.raw.len());
                let mut rest = self.spare.try_recv().unwrap_or_default();
                rest.reserve(room.min(1 << 30));
                rest.push_str(&self.pending[cut..]);
                self.pending.truncate(cut);
                let text = std::mem::replace(&mut self.pending, rest);
                self.scanned -= cut;
                self.returns_checked = self.returns_checked.saturating_sub(cut);
                self.cut = None;
                return Some(Ok(self.emit(text, false)));
            }
            if self.eof {
                if self.pending.is_empty() {
                    return None;
                }
                let text = std::mem::take(&mut self.pending);
                self.scanned = 0;
                self.returns_checked = 0;
                return Some(Ok(self.emit(text, true)));
            }
            if let Err(e) = self.fill().map(|()| self.lone_returns()) {
                self.eof = true;
                self.pending.clear();
                return Some(Err(e));
            }
            if let Some(cut) = self.scanner.scan(&self.pending.as_bytes()[self.scanned..]) {
                self.cut = Some(self.scanned + cut);
            }
            self.scanned = self.pending.len();
        }
    }

    /// A buffer handed back by a dropped chunk, if one is waiting.
    #[cfg(test)]
    pub fn take_spare(&mut self) -> Option<String> {
        self.spare.try_recv().ok()
    }

    fn emit(&mut self, text: String, last: bool) -> Chunk {
        let first_line = self.next_line;
        self.next_line += memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64;
        let mut chunk = Chunk::new(text, first_line, last);
        chunk.home = Some(self.returned.clone());
        chunk
    }

    /// Turns each `\r` that ends a line on its own (old Mac files, or a mix) into `\n`. The
    /// parser takes either for a line end, but lines are counted by `\n`: without this every
    /// row of such a file would be "line 1", and evidence could not point to it. A `\r` at
    /// the end of the text waits for the next block, which may begin with its `\n`.
    fn lone_returns(&mut self) {
        let bytes = self.pending.as_bytes();
        let from = self.returns_checked;
        let lone: Vec<usize> = memchr::memchr_iter(b'\r', &bytes[from..])
            .map(|at| from + at)
            .filter(|&at| match bytes.get(at + 1) {
                Some(next) => *next != b'\n',
                None => self.eof,
            })
            .collect();
        let waiting = !self.eof && bytes.last() == Some(&b'\r');
        self.returns_checked = bytes.len() - usize::from(waiting);
        for at in lone {
            self.pending.replace_range(at..=at, "\n");
        }
    }

    /// Reads and decodes the next block into `pending`.
    fn fill(&mut self) -> std::io::Result<()> {
        let n = loop {
            match self.input.read(&mut self.raw) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        self.eof = n == 0;
        let mut src = &self.raw[..n];
        loop {
            let need = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len().saturating_mul(3) + 16);
            self.pending.reserve(need);
            let (result, read) =
                self.decoder
                    .decode_to_string_without_replacement(src, &mut self.pending, self.eof);
            src = &src[read..];
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::Malformed(..) => self.pending.push(UNDECODABLE),
                DecoderResult::OutputFull => {}
            }
        }
        Ok(())
    }
}
