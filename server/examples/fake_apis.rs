//! The public APIs the panel reads (Modrinth, Spiget, CurseForge, the game version lists) on
//! loopback, answering from the tests' fixtures (`tests/fixtures`): the browser tests point the
//! panel at it (`PANEL_MODRINTH_URL`, `PANEL_SPIGET_URL`, `PANEL_CURSEFORGE_URL` with
//! `PANEL_CURSEFORGE_API_KEY` as the second line printed, `PANEL_MOJANG_URL`,
//! `PANEL_PAPER_URL`, `PANEL_PURPUR_URL`, `PANEL_FABRIC_URL`), and so can anyone trying those
//! sections in the sandbox without the internet. Prints its URL and that key, then serves
//! until killed.

#![allow(dead_code)]

#[path = "../tests/common/external.rs"]
mod external;

use std::io::Write;

fn main() {
    println!("{}", external::FakeApis::shared().url);
    println!("{}", external::FakeApis::CURSEFORGE_KEY);
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
