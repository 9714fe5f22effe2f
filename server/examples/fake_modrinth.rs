//! Modrinth's API on loopback, answering from the tests' fixtures (`tests/fixtures/modrinth`):
//! the browser tests point the panel at it (`PANEL_MODRINTH_URL`), and so can anyone trying the
//! Mods section in the sandbox without the internet. Prints its URL, then serves until killed.

#![allow(dead_code)]

#[path = "../tests/common/modrinth.rs"]
mod modrinth;

use std::io::Write;

fn main() {
    println!("{}", modrinth::FakeModrinth::shared().url);
    let _ = std::io::stdout().flush();
    loop {
        std::thread::park();
    }
}
