//! The file manager's commands, run in the game container by exec. Each is a fixed POSIX `sh`
//! script: paths and names arrive as its arguments (`"$1"`...), never pasted into the script, so
//! no name can inject anything. They use only what both GNU coreutils and busybox provide
//! (`realpath`, `stat -c`, `cat`, `mv`, `cp -RP`, `rm -rf`, `mkdir`, `chmod`, `tar`), and check
//! again inside the container that every path, symbolic links resolved, stays in the data
//! folder.
//!
//! Exit codes tell the panel what went wrong (see [`Refusal`]); anything else is an error whose
//! standard error is logged.

/// The start of every script: it touches `$PANEL_TOUCH` when the container names one (a
/// maintenance pod: its idle clock); `$1` is the data folder; `real P` resolves an existing path and
/// refuses one outside it (realpath's output is kept exactly: a command substitution drops
/// trailing newlines, which made a folder named `..` and a newline resolve to `..`); `parent P` resolves the folder of a path (its last component stays
/// as is, so that a link itself can be renamed or deleted) into `$d`, its name into `$b`, and
/// refuses a last component that is not a name (empty, `.`, `..`); `name N` refuses an entry
/// name (`./N`) that is not one component. The panel's paths never hold those; the scripts
/// refuse them anyway, so that a name reaching one raw cannot leave the folder.
const PRELUDE: &str = r#"set -u
[ -z "${PANEL_TOUCH:-}" ] || : > "$PANEL_TOUCH" 2>/dev/null
die() { printf '%s\n' "$2" >&2; exit "$1"; }
root=$(realpath "$1" 2>/dev/null && echo .) || die 69 "the data folder is missing"
root=${root%??}
shift
real() {
  r=$(realpath "$1" 2>/dev/null && echo .) || die 44 "not found"
  r=${r%??}
  case "$r/" in "$root"/*) ;; *) die 43 "outside the data folder" ;; esac
}
parent() {
  b=${1##*/}
  case $b in ""|.|..) die 43 "not a name" ;; esac
  real "${1%/*}"
  [ -d "$r" ] || die 44 "not found"
  d=$r
}
exists() { [ -e "$1" ] || [ -L "$1" ]; }
name() { case ${1#./} in */*|""|.|..) die 43 "not a name" ;; esac; }
"#;

/// Lists a folder (`$1`): the names, each ended by a NUL byte, an empty name, then one
/// `rawmode size mtime` line per name in the same order (names are never parsed out of `stat`,
/// so any byte in them is safe).
pub const LIST: &str = r#"real "$1"
[ -d "$r" ] || die 45 "not a folder"
cd "$r" || die 44 "not found"
set -- ./* ./.[!.]* ./..?*
for f in "$@"; do
  if exists "$f"; then printf '%s\0' "${f#./}"; fi
done
printf '\0'
stat -c '%f %s %Y' "$@" 2>/dev/null
exit 0
"#;

/// Prints a regular file (`$1`): a `size mtime` line, then its bytes. With `$2` other than `-`,
/// refuses a file larger than `$2` bytes (code 48).
pub const CAT: &str = r#"real "$1"
exists "$r" || die 44 "not found"
[ -f "$r" ] || die 45 "not a regular file"
s=$(stat -c '%s %Y' "$r") || die 44 "not found"
if [ "$2" != - ] && [ "${s%% *}" -gt "$2" ]; then die 48 "$s"; fi
printf '%s\n' "$s"
exec cat "$r"
"#;

/// Prints the bytes of a regular file (`$1`), nothing else.
pub const SEND: &str = r#"real "$1"
exists "$r" || die 44 "not found"
[ -f "$r" ] || die 45 "not a regular file"
exec cat "$r"
"#;

/// Streams the entries `$2...` (as `./name`) of folder `$1` as a tar (links as links).
pub const TAR_NAMES: &str = r#"real "$1"
[ -d "$r" ] || die 45 "not a folder"
cd "$r" || die 44 "not found"
shift
for n in "$@"; do name "$n"; exists "$n" || die 44 "not found"; done
exec tar -cf - "$@"
"#;

/// Prints `rawmode size mtime` of a path (`$1`), links resolved.
pub const STAT: &str = r#"real "$1"
exec stat -c '%f %s %Y' "$r"
"#;

/// Writes standard input to `$1` through the temporary file `$2` in the same folder, then
/// renames it over the target (so readers never see half a file). `$3`: the version the
/// writer read (`size mtime`), or `-`; `$4`: `1` to replace an existing file; `$5`: the size the
/// panel sent, checked before the rename (a write cut short never replaces the file). Prints
/// `ready` when its checks pass (the panel sends nothing before), then the new version.
pub const WRITE: &str = r#"parent "$1"
t="$d/$b"
if exists "$t"; then
  [ "$4" = 1 ] || die 46 "exists already"
  real "$t"
  [ -f "$r" ] || die 45 "not a regular file"
  t=$r
  d=${r%/*}
  if [ "$3" != - ]; then
    v=$(stat -c '%s %Y' "$t")
    [ "$v" = "$3" ] || die 47 "changed on disk"
  fi
elif [ "$3" != - ]; then
  die 47 "deleted on disk"
fi
tmp="$d/$2"
echo ready
if ! cat > "$tmp"; then rm -f "$tmp"; die 70 "could not write"; fi
if [ "$(stat -c %s "$tmp")" != "$5" ]; then rm -f "$tmp"; die 49 "incomplete"; fi
if [ -f "$t" ]; then chmod "$(stat -c %a "$t")" "$tmp"; fi
if ! mv -f "$tmp" "$t"; then rm -f "$tmp"; die 70 "could not write"; fi
stat -c '%s %Y' "$t"
"#;

/// Removes a temporary file (`$1`) left by a write that did not finish.
pub const DISCARD: &str = r#"parent "$1"
rm -f "$d/$b"
"#;

/// Creates the folder `$1` (its parent must exist).
pub const MKDIR: &str = r#"parent "$1"
if exists "$d/$b"; then die 46 "exists already"; fi
exec mkdir "$d/$b"
"#;

/// Moves (`mv`) or copies (`cp`) `$2` to `$3`, which must not exist; `$1` says which.
pub const MOVE: &str = r#"op=$1
parent "$2"
f="$d/$b"
exists "$f" || die 44 "not found"
parent "$3"
t="$d/$b"
if exists "$t"; then die 46 "exists already"; fi
if [ "$op" = cp ]; then exec cp -RP "$f" "$t"; else exec mv "$f" "$t"; fi
"#;

/// Deletes every path given (folders with their content; a link, not what it points to).
/// Checks them all before deleting any.
pub const DELETE: &str = r#"for p in "$@"; do
  parent "$p"
  exists "$d/$b" || die 44 "not found"
done
for p in "$@"; do
  parent "$p"
  rm -rf "$d/$b" || die 70 "could not delete"
done
"#;

/// Sets the permission bits `$2` (octal) of `$1`, a file or folder.
pub const CHMOD: &str = r#"real "$1"
[ -f "$r" ] || [ -d "$r" ] || die 45 "not a file or folder"
exec chmod "$2" "$r"
"#;

/// Streams the folder `$1` as a gzipped tar.
pub const TAR_OUT: &str = r#"real "$1"
[ -d "$r" ] || die 45 "not a folder"
cd "$r" || die 44 "not found"
exec tar -czf - .
"#;

/// Packs the entries `$4...` (as `./name`) of folder `$1` into the gzipped tar `$2` (as
/// `./name`) of that folder, through the temporary file `$3`.
pub const TAR_PACK: &str = r#"real "$1"
[ -d "$r" ] || die 45 "not a folder"
cd "$r" || die 44 "not found"
a=$2
tmp=$3
shift 3
name "$a"
if exists "$a"; then die 46 "exists already"; fi
for n in "$@"; do name "$n"; exists "$n" || die 44 "not found"; done
if ! tar -czf "$tmp" "$@"; then rm -f "$tmp"; die 70 "could not pack"; fi
mv -f "$tmp" "$a"
"#;

/// Unpacks a tar read from standard input into the new folder `$2` of folder `$1` (the panel
/// has checked and rewritten every entry), then moves its top-level entries `$3...` (as
/// `./name`) into `$1`. Refuses (46) before unpacking if any of them exists there; prints
/// `ready` when it starts reading.
pub const TAR_IN: &str = r#"real "$1"
[ -d "$r" ] || die 45 "not a folder"
cd "$r" || die 44 "not found"
tmp=$2
shift 2
for n in "$@"; do name "$n"; if exists "$n"; then die 46 "${n#./}"; fi; done
mkdir "$tmp" || die 70 "could not unpack"
echo ready
if ! tar -xf - -C "$tmp"; then rm -rf "$tmp"; die 70 "could not unpack"; fi
for n in "$@"; do
  if exists "$n"; then rm -rf "$tmp"; die 46 "${n#./}"; fi
  mv "$tmp/$n" "$n" || { rm -rf "$tmp"; die 70 "could not unpack"; }
done
rm -rf "$tmp"
"#;

/// A refusal a script signals by its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 43: a path (links resolved) leaves the data folder.
    Outside,
    /// 44: no such file or folder.
    NotFound,
    /// 45: not the kind of entry the operation needs.
    WrongKind,
    /// 46: the target exists already.
    Exists,
    /// 47: the file changed (or was deleted) since it was read.
    Changed,
    /// 48: the file is larger than asked for.
    TooLarge,
    /// 49: fewer bytes arrived than announced (the write was cut short and discarded).
    Incomplete,
    /// 69: the data folder itself is missing.
    NoDataFolder,
}

impl Refusal {
    /// The refusal an exit code means, if any.
    pub fn from_code(code: i32) -> Option<Refusal> {
        Some(match code {
            43 => Refusal::Outside,
            44 => Refusal::NotFound,
            45 => Refusal::WrongKind,
            46 => Refusal::Exists,
            47 => Refusal::Changed,
            48 => Refusal::TooLarge,
            49 => Refusal::Incomplete,
            69 => Refusal::NoDataFolder,
            _ => return None,
        })
    }
}

/// The argv that runs `script` with the data folder `root` and `args`: `sh -c SCRIPT sh ROOT
/// ARGS...`.
pub fn argv(script: &str, root: &str, args: &[&str]) -> Vec<String> {
    let mut v = vec![
        "sh".to_string(),
        "-c".to_string(),
        format!("{PRELUDE}{script}"),
        "files".to_string(),
        root.to_string(),
    ];
    v.extend(args.iter().map(|a| a.to_string()));
    v
}
