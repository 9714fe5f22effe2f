//! The public APIs the panel reads (Modrinth, Spiget, the game version lists) on loopback,
//! answering from the tests' fixtures (`tests/fixtures`): the browser tests point the panel at
//! it (`PANEL_MODRINTH_URL`, `PANEL_SPIGET_URL`, `PANEL_MOJANG_URL`, `PANEL_PAPER_URL`,
//! `PANEL_PURPUR_URL`, `PANEL_FABRIC_URL`), and so can anyone trying those sections in the sandbox without the
//! internet. Prints its URL, then serves until killed.

#![allow(dead_code)]

#[path = "../tests/common/external.rs"]
mod external;

use std::io::Write;

fn main() {
    println!("{}", external::FakeApis::shared().url);
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
