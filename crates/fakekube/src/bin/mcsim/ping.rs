//! The Server List Ping of the Java edition (1.7 and later): what a Minecraft client's server
//! list and the panel's player count ask. mcsim answers a status request with its version,
//! MOTD and player count, echoes the ping, and refuses a login with a clear disconnect message:
//! it is a simulator, nobody can play on it.
//!
//! Frames are `VarInt length | VarInt packet id | data`; strings are a VarInt byte length and
//! UTF-8. The handshake (id 0) says the protocol, address, port and the next state (1 status,
//! 2 login, 3 transfer).

use std::time::Duration;

use serde_json::json;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The protocol number mcsim says it speaks (1.21.4).
pub const PROTOCOL: i32 = 769;

/// Largest frame read (a handshake or login start is far smaller).
const MAX_FRAME: usize = 4096;

/// What a status answer says.
#[derive(Debug, Clone)]
pub struct Status {
    /// The version name (`1.21.4`).
    pub version: String,
    /// The MOTD.
    pub motd: String,
    /// Most players at once.
    pub max: u32,
    /// The names of the players online now.
    pub players: Vec<String>,
}

/// Answers every connection on `listener` with `status()` of the moment.
pub async fn serve(listener: TcpListener, status: impl Fn() -> Status + Send + Sync + 'static) {
    let status = std::sync::Arc::new(status);
    loop {
        let Ok((conn, _)) = listener.accept().await else {
            continue;
        };
        let status = status.clone();
        tokio::spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(10), answer(conn, &*status)).await;
        });
    }
}

async fn answer(
    mut conn: TcpStream,
    status: &(dyn Fn() -> Status + Send + Sync),
) -> std::io::Result<()> {
    let hello = read_frame(&mut conn).await?;
    let mut at = &hello[..];
    if read_varint_slice(&mut at)? != 0 {
        return Ok(());
    }
    let _protocol = read_varint_slice(&mut at)?;
    let _address = read_string_slice(&mut at)?;
    if at.len() < 2 {
        return Err(bad("short handshake"));
    }
    at = &at[2..];
    match read_varint_slice(&mut at)? {
        1 => {
            let _request = read_frame(&mut conn).await?;
            let s = status();
            let body = json!({
                "version": {"name": s.version, "protocol": PROTOCOL},
                "players": {
                    "max": s.max,
                    "online": s.players.len(),
                    "sample": s.players.iter().map(|name| json!({"name": name, "id": offline_id(name)})).collect::<Vec<_>>(),
                },
                "description": {"text": s.motd},
                "enforcesSecureChat": false,
            });
            write_frame(&mut conn, 0, &string(&body.to_string())).await?;
            // the ping: answered with the same 8 bytes, then the connection ends
            if let Ok(ping) = read_frame(&mut conn).await {
                let mut at = &ping[..];
                if read_varint_slice(&mut at)? == 1 && at.len() == 8 {
                    write_frame(&mut conn, 1, at).await?;
                }
            }
        }
        2 | 3 => {
            let _login_start = read_frame(&mut conn).await;
            let reason = json!({
                "text": "This is mcsim, the panel's Minecraft simulator: it answers the server list but nobody can play on it."
            });
            write_frame(&mut conn, 0, &string(&reason.to_string())).await?;
        }
        _ => {}
    }
    conn.shutdown().await
}

/// A stable UUID-shaped id for a name (mcsim has no accounts to look up).
fn offline_id(name: &str) -> String {
    let mut h: u128 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u128::from(b)).wrapping_mul(0x0100_0000_0000_0000_0000_0000_013b);
    }
    let x = format!("{h:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

fn bad(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string())
}

/// Reads one frame: its bytes after the length (packet id and data).
async fn read_frame(r: &mut (impl AsyncRead + Unpin)) -> std::io::Result<Vec<u8>> {
    let len = read_varint(r).await?;
    let len = usize::try_from(len).map_err(|_| bad("negative length"))?;
    if len == 0 || len > MAX_FRAME {
        return Err(bad("frame length"));
    }
    let mut buf = vec![0; len];
    r.read_exact(&mut buf).await?;
    Ok(buf)
}

async fn write_frame(w: &mut TcpStream, id: i32, data: &[u8]) -> std::io::Result<()> {
    let mut body = varint(id);
    body.extend_from_slice(data);
    let mut frame = varint(i32::try_from(body.len()).map_err(|_| bad("frame too long"))?);
    frame.extend_from_slice(&body);
    w.write_all(&frame).await
}

async fn read_varint(r: &mut (impl AsyncRead + Unpin)) -> std::io::Result<i32> {
    let mut value: u32 = 0;
    for i in 0..5 {
        let b = r.read_u8().await?;
        value |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(value as i32);
        }
    }
    Err(bad("VarInt too long"))
}

fn read_varint_slice(at: &mut &[u8]) -> std::io::Result<i32> {
    let mut value: u32 = 0;
    for i in 0..5 {
        let (&b, rest) = at.split_first().ok_or_else(|| bad("short VarInt"))?;
        *at = rest;
        value |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(value as i32);
        }
    }
    Err(bad("VarInt too long"))
}

fn read_string_slice(at: &mut &[u8]) -> std::io::Result<String> {
    let len = usize::try_from(read_varint_slice(at)?).map_err(|_| bad("negative length"))?;
    if at.len() < len {
        return Err(bad("short string"));
    }
    let (s, rest) = at.split_at(len);
    *at = rest;
    String::from_utf8(s.to_vec()).map_err(|_| bad("not UTF-8"))
}

/// A VarInt: seven bits a byte, least significant first.
fn varint(v: i32) -> Vec<u8> {
    let mut v = v as u32;
    let mut out = Vec::with_capacity(5);
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

/// A protocol string: its byte length as a VarInt, then UTF-8.
fn string(s: &str) -> Vec<u8> {
    let mut out = varint(s.len() as i32);
    out.extend_from_slice(s.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_as_the_protocol_writes_them() {
        // examples from the protocol's documentation
        for (v, bytes) in [
            (0, vec![0x00]),
            (1, vec![0x01]),
            (127, vec![0x7f]),
            (128, vec![0x80, 0x01]),
            (255, vec![0xff, 0x01]),
            (25565, vec![0xdd, 0xc7, 0x01]),
            (2147483647, vec![0xff, 0xff, 0xff, 0xff, 0x07]),
            (-1, vec![0xff, 0xff, 0xff, 0xff, 0x0f]),
        ] {
            assert_eq!(varint(v), bytes, "{v}");
            assert_eq!(read_varint_slice(&mut &bytes[..]).unwrap(), v);
        }
        assert!(read_varint_slice(&mut &[0xff, 0xff, 0xff, 0xff, 0xff, 0x01][..]).is_err());
    }
}
