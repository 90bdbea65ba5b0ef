//! The loopback SMTP sink: a small RFC 5321 server on standard threads.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::lock;

/// The longest command line accepted, in bytes (RFC 5321 allows 512; AUTH lines are longer).
const COMMAND_CAP: u64 = 4096;

/// The longest line of message data accepted, in bytes.
const DATA_LINE_CAP: u64 = 64 * 1024;

/// The largest message accepted, in bytes.
const MESSAGE_CAP: usize = 16 * 1024 * 1024;

/// An idle session is closed after this long.
const IDLE: Duration = Duration::from_secs(60);

/// A message the sink accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`), without angle brackets; empty for a null sender.
    pub from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets, in order.
    pub to: Vec<String>,
    /// The raw RFC 5322 message (headers and body, CRLF line ends, dots unstuffed, without the
    /// final `.` line).
    pub data: String,
    /// The user name the client logged in with (`AUTH PLAIN` or `AUTH LOGIN`), if it did.
    pub user: Option<String>,
}

/// An SMTP server on `127.0.0.1` that accepts every message (any login is accepted too) and
/// records it. It speaks EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, HELP, AUTH and QUIT;
/// it offers no STARTTLS.
///
/// It runs on its own threads, so it works from synchronous and asynchronous tests alike.
/// Dropping it stops the server and closes every session.
pub struct SmtpSink {
    port: u16,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

struct Shared {
    messages: Mutex<Vec<ReceivedMail>>,
    reject: Mutex<Option<u16>>,
    stop: AtomicBool,
    next: AtomicU64,
    sessions: Mutex<HashMap<u64, TcpStream>>,
}

impl SmtpSink {
    /// Starts listening on `127.0.0.1` at a port the system picks.
    ///
    /// # Panics
    /// When no loopback port can be bound or no thread started (a broken test machine).
    pub fn start() -> SmtpSink {
        let listener =
            TcpListener::bind("127.0.0.1:0").expect("the SMTP sink could not listen on 127.0.0.1");
        let port = listener
            .local_addr()
            .expect("the SMTP sink's listener has an address")
            .port();
        let shared = Arc::new(Shared {
            messages: Mutex::new(Vec::new()),
            reject: Mutex::new(None),
            stop: AtomicBool::new(false),
            next: AtomicU64::new(0),
            sessions: Mutex::new(HashMap::new()),
        });
        let accepting = Arc::clone(&shared);
        let accept = std::thread::Builder::new()
            .name("smtp-sink".into())
            .spawn(move || accept_loop(&listener, &accepting))
            .expect("the SMTP sink could not start its thread");
        SmtpSink {
            port,
            shared,
            accept: Some(accept),
        }
    }

    /// The port the sink listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every message accepted so far, in order. Duplicates are kept.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        lock(&self.shared.messages).clone()
    }

    /// `Some(code)`: answer every `RCPT TO` with `code` (e.g. 550 for a permanent refusal,
    /// 451 for a temporary one) from now on. `None`: accept recipients again.
    pub fn set_reject(&self, code: Option<u16>) {
        *lock(&self.shared.reject) = code;
    }
}

impl fmt::Debug for SmtpSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSink")
            .field("port", &self.port)
            .field("messages", &lock(&self.shared.messages).len())
            .finish_non_exhaustive()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop, which then sees the flag and ends.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        for (_, session) in lock(&self.shared.sessions).drain() {
            let _ = session.shutdown(Shutdown::Both);
        }
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let id = shared.next.fetch_add(1, Ordering::SeqCst);
        let Ok(twin) = stream.try_clone() else {
            continue;
        };
        lock(&shared.sessions).insert(id, twin);
        let session = Arc::clone(shared);
        let started = std::thread::Builder::new()
            .name("smtp-sink-session".into())
            .spawn(move || {
                let _ = Session::new(&session).run(stream);
                lock(&session.sessions).remove(&id);
            });
        if started.is_err() {
            if let Some(twin) = lock(&shared.sessions).remove(&id) {
                let _ = twin.shutdown(Shutdown::Both);
            }
        }
    }
}

/// One client's conversation.
struct Session<'a> {
    shared: &'a Shared,
    greeted: bool,
    user: Option<String>,
    from: Option<String>,
    to: Vec<String>,
}

impl<'a> Session<'a> {
    fn new(shared: &'a Shared) -> Self {
        Session {
            shared,
            greeted: false,
            user: None,
            from: None,
            to: Vec::new(),
        }
    }

    fn reset(&mut self) {
        self.from = None;
        self.to.clear();
    }

    fn run(mut self, stream: TcpStream) -> io::Result<()> {
        stream.set_read_timeout(Some(IDLE))?;
        stream.set_nodelay(true)?;
        let mut out = stream.try_clone()?;
        let mut input = BufReader::new(stream);
        send(&mut out, "220 127.0.0.1 ESMTP slipway test sink ready")?;
        loop {
            let Some(line) = read_line(&mut input, COMMAND_CAP)? else {
                return Ok(());
            };
            let Ok(line) = String::from_utf8(line) else {
                send(&mut out, "500 5.5.2 the command is not valid UTF-8")?;
                continue;
            };
            let (verb, arg) = match line.split_once(' ') {
                Some((verb, arg)) => (verb.to_ascii_uppercase(), arg.trim()),
                None => (line.to_ascii_uppercase(), ""),
            };
            match verb.as_str() {
                "EHLO" | "HELO" if arg.is_empty() => {
                    send(&mut out, "501 5.5.4 a domain or address is required")?;
                }
                "EHLO" => {
                    self.greeted = true;
                    self.reset();
                    send(
                        &mut out,
                        &format!(
                            "250-127.0.0.1 greets {arg}\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n\
                             250-AUTH PLAIN LOGIN\r\n250 SIZE {MESSAGE_CAP}"
                        ),
                    )?;
                }
                "HELO" => {
                    self.greeted = true;
                    self.reset();
                    send(&mut out, "250 127.0.0.1")?;
                }
                "MAIL" => self.mail(&mut out, arg)?,
                "RCPT" => self.rcpt(&mut out, arg)?,
                "DATA" => self.data(&mut input, &mut out)?,
                "RSET" => {
                    self.reset();
                    send(&mut out, "250 2.0.0 OK")?;
                }
                "NOOP" => send(&mut out, "250 2.0.0 OK")?,
                "VRFY" => send(&mut out, "252 2.5.0 cannot verify, but will try")?,
                "HELP" => send(
                    &mut out,
                    "214 2.0.0 EHLO HELO MAIL RCPT DATA RSET NOOP VRFY AUTH QUIT",
                )?,
                "STARTTLS" => send(&mut out, "454 4.7.0 TLS is not available")?,
                "AUTH" => self.auth(&mut input, &mut out, arg)?,
                "QUIT" => {
                    send(&mut out, "221 2.0.0 bye")?;
                    return Ok(());
                }
                _ => send(&mut out, "502 5.5.1 command not implemented")?,
            }
        }
    }

    fn mail(&mut self, out: &mut TcpStream, arg: &str) -> io::Result<()> {
        if !self.greeted {
            return send(out, "503 5.5.1 say EHLO or HELO first");
        }
        if self.from.is_some() {
            return send(out, "503 5.5.1 a transaction is already open");
        }
        match path_after(arg, "FROM:") {
            Some(path) => {
                self.from = Some(path);
                send(out, "250 2.1.0 OK")
            }
            None => send(out, "501 5.5.4 syntax: MAIL FROM:<address>"),
        }
    }

    fn rcpt(&mut self, out: &mut TcpStream, arg: &str) -> io::Result<()> {
        if self.from.is_none() {
            return send(out, "503 5.5.1 say MAIL FROM first");
        }
        let Some(path) = path_after(arg, "TO:").filter(|p| !p.is_empty()) else {
            return send(out, "501 5.5.4 syntax: RCPT TO:<address>");
        };
        let reject = *lock(&self.shared.reject);
        match reject {
            Some(code) if code >= 500 => send(
                out,
                &format!("{code} 5.1.1 <{path}>: recipient rejected by the test sink"),
            ),
            Some(code) => send(
                out,
                &format!("{code} 4.3.0 <{path}>: try again later (test sink)"),
            ),
            None => {
                self.to.push(path);
                send(out, "250 2.1.5 OK")
            }
        }
    }

    fn data(&mut self, input: &mut BufReader<TcpStream>, out: &mut TcpStream) -> io::Result<()> {
        if self.from.is_none() {
            return send(out, "503 5.5.1 say MAIL FROM first");
        }
        if self.to.is_empty() {
            return send(out, "554 5.5.1 no valid recipients");
        }
        send(out, "354 end data with <CR><LF>.<CR><LF>")?;
        let mut data = Vec::new();
        let mut too_big = false;
        loop {
            let Some(line) = read_line(input, DATA_LINE_CAP)? else {
                return Ok(());
            };
            if line == b"." {
                break;
            }
            if too_big {
                continue;
            }
            // Dot-unstuffing (RFC 5321 section 4.5.2).
            let line = line.strip_prefix(b".").unwrap_or(&line);
            data.extend_from_slice(line);
            data.extend_from_slice(b"\r\n");
            too_big = data.len() > MESSAGE_CAP;
        }
        if too_big {
            self.reset();
            return send(out, "552 5.3.4 the message is too big");
        }
        let mail = ReceivedMail {
            from: self.from.take().unwrap_or_default(),
            to: std::mem::take(&mut self.to),
            data: String::from_utf8_lossy(&data).into_owned(),
            user: self.user.clone(),
        };
        let number = {
            let mut messages = lock(&self.shared.messages);
            messages.push(mail);
            messages.len()
        };
        send(out, &format!("250 2.0.0 OK: queued as {number}"))
    }

    fn auth(
        &mut self,
        input: &mut BufReader<TcpStream>,
        out: &mut TcpStream,
        arg: &str,
    ) -> io::Result<()> {
        if !self.greeted {
            return send(out, "503 5.5.1 say EHLO first");
        }
        let (mechanism, initial) = match arg.split_once(' ') {
            Some((m, i)) => (m.to_ascii_uppercase(), Some(i.trim().to_owned())),
            None => (arg.to_ascii_uppercase(), None),
        };
        let user = match mechanism.as_str() {
            "PLAIN" => {
                let response = match initial {
                    Some(response) => response,
                    None => {
                        send(out, "334 ")?;
                        read_text(input)?
                    }
                };
                // authzid NUL authcid NUL password
                decode_base64(&response).and_then(|plain| {
                    let mut parts = plain.split(|b| *b == 0);
                    let _authzid = parts.next()?;
                    let user = parts.next()?;
                    parts.next()?;
                    String::from_utf8(user.to_vec()).ok()
                })
            }
            "LOGIN" => {
                let user = match initial {
                    Some(user) => user,
                    None => {
                        send(out, "334 VXNlcm5hbWU6")?;
                        read_text(input)?
                    }
                };
                send(out, "334 UGFzc3dvcmQ6")?;
                let _password = read_text(input)?;
                decode_base64(&user).and_then(|u| String::from_utf8(u).ok())
            }
            _ => return send(out, "504 5.5.4 only PLAIN and LOGIN are offered"),
        };
        match user {
            Some(user) => {
                self.user = Some(user);
                send(out, "235 2.7.0 authentication succeeded")
            }
            None => send(out, "501 5.5.2 the credentials could not be decoded"),
        }
    }
}

/// Writes one reply (several lines when it holds CRLFs) and a final CRLF.
fn send(out: &mut TcpStream, reply: &str) -> io::Result<()> {
    out.write_all(reply.as_bytes())?;
    out.write_all(b"\r\n")?;
    out.flush()
}

/// One line without its line end (CRLF or a bare LF); `None` at the end of the stream. A line
/// longer than `cap` ends the session with an error.
fn read_line(input: &mut BufReader<TcpStream>, cap: u64) -> io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    let read = input.by_ref().take(cap + 2).read_until(b'\n', &mut line)?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        if read as u64 > cap {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the line is too long",
            ));
        }
        // The peer closed the connection in the middle of a line.
        return Ok(None);
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

/// The next line as text, for an AUTH exchange; an early end of the stream is an error.
fn read_text(input: &mut BufReader<TcpStream>) -> io::Result<String> {
    match read_line(input, COMMAND_CAP)? {
        Some(line) => Ok(String::from_utf8_lossy(&line).trim().to_owned()),
        None => Err(io::ErrorKind::UnexpectedEof.into()),
    }
}

/// The address in `FROM:<address> [parameters]` (`prefix` is `FROM:` or `TO:`, any case).
fn path_after(arg: &str, prefix: &str) -> Option<String> {
    let head = arg.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = arg[prefix.len()..].trim_start();
    let path = match rest.strip_prefix('<') {
        Some(inner) => &inner[..inner.find('>')?],
        None => rest.split(' ').next().unwrap_or_default(),
    };
    Some(path.to_owned())
}

/// Standard base64 (with or without padding); `None` for anything else.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let text = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        buffer = (buffer << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_from_mail_and_rcpt() {
        assert_eq!(
            path_after("FROM:<a@b.example> SIZE=10", "FROM:").as_deref(),
            Some("a@b.example")
        );
        assert_eq!(path_after("from: <>", "FROM:").as_deref(), Some(""));
        assert_eq!(
            path_after("TO:c@d.example", "TO:").as_deref(),
            Some("c@d.example")
        );
        assert_eq!(path_after("TO <x>", "TO:"), None);
    }

    #[test]
    fn base64_decodes() {
        assert_eq!(
            decode_base64("AGJvdABodW50ZXIy").unwrap(),
            b"\0bot\0hunter2"
        );
        assert_eq!(decode_base64("Ym90").unwrap(), b"bot");
        assert_eq!(decode_base64("Ym8=").unwrap(), b"bo");
        assert!(decode_base64("!!").is_none());
    }
}
