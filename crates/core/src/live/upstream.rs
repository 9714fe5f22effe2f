//! The one log stream of a watched server: follows the game container across restarts and
//! reconnects (resuming after the last line seen, by timestamp), caps the line rate, looks for
//! the template's "started" line, and hands batches of lines to the channel.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, Stream, StreamExt};
use tokio::sync::watch;
use uuid::Uuid;

use super::console::{Channel, HISTORY};
use super::text::{split_timestamp, strip_ansi};
use super::{Instance, Live, PodInfo};
use protocol::live::ServerMsg;

/// Lines of the previous run shown after a crash.
const PREVIOUS_TAIL: i64 = 100;
/// Most lines per second passed on to viewers; the rest are counted and announced.
pub const MAX_LINES_PER_SEC: u64 = 5000;
/// Longest line kept, in bytes (the rest is cut).
const MAX_LINE: u64 = 16 * 1024;
/// Lines handed over in one packet at most.
const BATCH: usize = 512;
/// Longest a line waits for others to share its packet: fewer, larger messages per viewer
/// (one socket write each) at the cost of this much latency.
const BATCH_WAIT: Duration = Duration::from_millis(40);

/// Where the stream is in the current run, to resume without repeating or losing lines.
struct Position {
    run: Instance,
    last: Option<DateTime<Utc>>,
    at_last: usize,
    replay: usize,
}

impl Position {
    fn new(run: Instance) -> Position {
        Position {
            run,
            last: None,
            at_last: 0,
            replay: 0,
        }
    }

    /// Prepares a resumed stream: it starts at the whole second of the last timestamp seen
    /// (`sinceTime` goes out rounded to a second by kube-rs, to the nearest, which may be later
    /// than the last line, and is truncated by the kubelet); what was already seen is skipped.
    fn resume(&mut self) -> Option<String> {
        use chrono::SubsecRound;
        self.replay = self.at_last;
        self.last.map(|t| {
            t.trunc_subsecs(0)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
    }

    /// Whether a line stamped `ts` is new.
    fn accept(&mut self, ts: DateTime<Utc>) -> bool {
        match self.last {
            Some(last) if ts < last => false,
            Some(last) if ts == last && self.replay > 0 => {
                self.replay -= 1;
                false
            }
            Some(last) if ts == last => {
                self.at_last += 1;
                true
            }
            _ => {
                self.last = Some(ts);
                self.at_last = 1;
                self.replay = 0;
                true
            }
        }
    }
}

/// Passes at most [`MAX_LINES_PER_SEC`] lines per second.
struct Throttle {
    window: Instant,
    passed: u64,
    dropped: u64,
}

impl Throttle {
    fn admit(&mut self) -> bool {
        if self.passed < MAX_LINES_PER_SEC {
            self.passed += 1;
            true
        } else {
            self.dropped += 1;
            false
        }
    }

    /// At the end of a window: how many lines it dropped (if any), and a new window.
    fn roll(&mut self) -> Option<u64> {
        if self.window.elapsed() < Duration::from_secs(1) {
            return None;
        }
        self.window = Instant::now();
        self.passed = 0;
        Some(std::mem::take(&mut self.dropped)).filter(|d| *d > 0)
    }
}

fn lines<R: AsyncBufRead + Unpin>(reader: R) -> impl Stream<Item = String> {
    futures::stream::unfold(reader, |mut r| async move {
        let mut buf = Vec::new();
        match (&mut r).take(MAX_LINE).read_until(b'\n', &mut buf).await {
            Ok(0) | Err(_) => None,
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                } else if buf.len() as u64 == MAX_LINE {
                    // Cut: skip the rest of the line.
                    let mut rest = Vec::new();
                    let _ = r.read_until(b'\n', &mut rest).await;
                }
                if buf.last() == Some(&b'\r') {
                    buf.pop();
                }
                Some((String::from_utf8_lossy(&buf).into_owned(), r))
            }
        }
    })
}

/// Runs until aborted (when nobody needs the channel) or the server is forgotten.
pub(super) async fn run(
    live: Live,
    kube: cluster::Kube,
    id: Uuid,
    ch: Arc<Channel>,
    mut pod: watch::Receiver<Option<PodInfo>>,
) {
    let mut first = true;
    let mut pos: Option<Position> = None;
    let mut throttle = Throttle {
        window: Instant::now(),
        passed: 0,
        dropped: 0,
    };
    loop {
        let info = pod.borrow_and_update().clone();
        if first {
            first = false;
            if let Some(p) = &info {
                if p.instance.1 > 0 {
                    previous_run(&kube, &ch, &p.name).await;
                }
                if p.running {
                    // The recent lines first (viewers get them as history), then follow on.
                    let whole_run = ch.startup_pattern(&p.instance).is_some();
                    let tail = (!whole_run).then_some(HISTORY as i64);
                    ch.new_run();
                    let mut at = Position::new(p.instance.clone());
                    if let Ok(reader) = kube.log_lines(&p.name, false, false, tail, None).await {
                        follow(&live, &ch, id, reader, &mut at, &mut throttle).await;
                    }
                    pos = Some(at);
                }
            }
            ch.prime();
        }
        match info {
            Some(p) if p.running => {
                let same = pos.as_ref().is_some_and(|x| x.run == p.instance);
                let (tail, since) = if same {
                    (None, pos.as_mut().and_then(Position::resume))
                } else {
                    // A new run: all of it.
                    ch.new_run();
                    pos = Some(Position::new(p.instance.clone()));
                    (None, None)
                };
                match kube
                    .log_lines(&p.name, true, false, tail, since.as_deref())
                    .await
                {
                    Ok(reader) => {
                        let pos = pos.as_mut().expect("set above");
                        follow(&live, &ch, id, reader, pos, &mut throttle).await;
                    }
                    Err(e) => tracing::debug!(server = %id, error = %e, "log stream failed"),
                }
                // The run ended or the connection broke: wait for news of the pod, or retry.
                let _ = tokio::time::timeout(Duration::from_secs(1), pod.changed()).await;
            }
            Some(p) if p.installing => {
                // The installation: its output once, from its start, until it ends.
                if let Ok(reader) = kube.install_log(&p.name).await {
                    let mut chunks = std::pin::pin!(tokio_stream::StreamExt::chunks_timeout(
                        lines(reader),
                        BATCH,
                        BATCH_WAIT
                    ));
                    while let Some(chunk) = chunks.next().await {
                        ch.publish_install(
                            chunk
                                .iter()
                                .map(|l| split_timestamp(l).1.to_string())
                                .collect(),
                        );
                    }
                }
                // Then wait for the game container (or other news).
                if pod.changed().await.is_err() {
                    return;
                }
            }
            _ => {
                if pod.changed().await.is_err() {
                    return;
                }
            }
        }
    }
}

async fn previous_run(kube: &cluster::Kube, ch: &Channel, pod: &str) {
    let Ok(reader) = kube
        .log_lines(pod, false, true, Some(PREVIOUS_TAIL), None)
        .await
    else {
        return;
    };
    let mut out: Vec<String> = lines(reader)
        .map(|l| split_timestamp(&l).1.to_string())
        .collect()
        .await;
    if !out.is_empty() {
        out.insert(
            0,
            "\x1b[2m--- the previous run's last lines ---\x1b[0m".into(),
        );
        out.push("\x1b[2m--- end of the previous run ---\x1b[0m".into());
        ch.publish_lines(out);
    }
}

async fn follow<R: AsyncBufRead + Unpin>(
    live: &Live,
    ch: &Channel,
    id: Uuid,
    reader: R,
    pos: &mut Position,
    throttle: &mut Throttle,
) {
    let mut chunks = std::pin::pin!(tokio_stream::StreamExt::chunks_timeout(
        lines(reader),
        BATCH,
        BATCH_WAIT
    ));
    while let Some(chunk) = chunks.next().await {
        let mut pattern = ch.startup_pattern(&pos.run);
        let mut started = false;
        let mut out = Vec::with_capacity(chunk.len());
        for raw in chunk {
            let (ts, text) = split_timestamp(&raw);
            if let Some(ts) = ts.and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                && !pos.accept(ts.to_utc())
            {
                continue;
            }
            if let Some(re) = &pattern
                && re.is_match(&strip_ansi(text))
            {
                pattern = None;
                started = true;
            }
            if throttle.admit() {
                out.push(text.to_string());
            }
        }
        ch.publish_lines(out);
        // After the lines: viewers see the started line before the `running` it causes.
        if started {
            live.started(id, pos.run.clone());
        }
        if let Some(dropped) = throttle.roll() {
            ch.publish(&ServerMsg::Throttled { dropped });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resuming_skips_what_was_seen() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let mut p = Position::new(("uid".into(), 0));
        assert!(p.accept(t("2026-01-01T00:00:01.5Z")));
        assert!(p.accept(t("2026-01-01T00:00:02.12Z")));
        assert!(p.accept(t("2026-01-01T00:00:02.12Z")));
        assert_eq!(p.resume().as_deref(), Some("2026-01-01T00:00:02Z"));
        // The resumed stream repeats from that time on (Go trims trailing zeros: compare times,
        // not strings).
        assert!(!p.accept(t("2026-01-01T00:00:01.5Z")));
        assert!(!p.accept(t("2026-01-01T00:00:02.12Z")));
        assert!(!p.accept(t("2026-01-01T00:00:02.120Z")));
        assert!(
            p.accept(t("2026-01-01T00:00:02.12Z")),
            "a third line of that time is new"
        );
        assert!(p.accept(t("2026-01-01T00:00:02.123Z")));
    }

    #[test]
    fn resuming_never_asks_for_a_time_after_the_last_line() {
        // a line at .6 s: rounding that to the nearest second would ask from the next second and
        // lose what was printed between
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let mut p = Position::new(("uid".into(), 0));
        assert!(p.accept(t("2026-01-01T00:00:02.6Z")));
        let since = p.resume().unwrap();
        assert_eq!(since, "2026-01-01T00:00:02Z");
        assert!(t(&since) <= t("2026-01-01T00:00:02.6Z"));
        assert!(!p.accept(t("2026-01-01T00:00:02.1Z")), "seen before");
        assert!(!p.accept(t("2026-01-01T00:00:02.6Z")), "the last one, seen");
        assert!(
            p.accept(t("2026-01-01T00:00:02.7Z")),
            "printed during the break"
        );
    }

    #[tokio::test]
    async fn lines_are_cut_and_lossy() {
        let mut data = b"one\r\ntwo \xff\n".to_vec();
        data.extend(std::iter::repeat_n(b'x', MAX_LINE as usize + 10));
        data.extend(b"\nlast");
        let got: Vec<String> = lines(futures::io::Cursor::new(data)).collect().await;
        assert_eq!(got[0], "one");
        assert_eq!(got[1], "two \u{fffd}");
        assert_eq!(got[2].len(), MAX_LINE as usize);
        assert_eq!(got[3], "last");
    }
}
