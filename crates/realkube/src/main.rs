//! `realkube`: the tests' control plane for a person or a benchmark. Starts it on loopback,
//! makes the namespace `games` (or `REALKUBE_NAMESPACE`) with the panel's Role-bound identity,
//! writes `panel.kubeconfig` (the panel's identity) and `admin.kubeconfig` into its folder,
//! prints them as environment lines (`KUBECONFIG=…`), and runs until Ctrl-C or SIGTERM.
//!
//! `PANEL_CONTROLPLANE_BIN="$(scripts/controlplane.sh)" cargo run -p realkube`

use std::path::PathBuf;

#[tokio::main]
async fn main() {
    let Some(bin) = std::env::var_os("PANEL_CONTROLPLANE_BIN").map(PathBuf::from) else {
        eprintln!("set PANEL_CONTROLPLANE_BIN (the folder scripts/controlplane.sh prints)");
        std::process::exit(2);
    };
    let ns = std::env::var("REALKUBE_NAMESPACE").unwrap_or_else(|_| "games".into());
    let cp = match realkube::ControlPlane::start(&bin).await {
        Ok(cp) => cp,
        Err(e) => {
            eprintln!("realkube: {e}");
            std::process::exit(1);
        }
    };
    let ready = async {
        cp.create_namespace(&ns).await?;
        let kc = cp.panel_kubeconfig(&ns).await?;
        let path = cp.dir.join("panel.kubeconfig");
        std::fs::write(&path, kc.to_string())?;
        Ok::<_, realkube::Error>(path)
    };
    match ready.await {
        Ok(path) => {
            println!("KUBECONFIG={}", path.display());
            println!("PANEL_NAMESPACE={ns}");
            println!(
                "REALKUBE_ADMIN_KUBECONFIG={}",
                cp.admin_kubeconfig.display()
            );
            println!("REALKUBE_AUDIT_LOG={}", cp.audit_log.display());
            println!("REALKUBE_PANEL_USER={}", realkube::panel_username(&ns));
        }
        Err(e) => {
            eprintln!("realkube: {e}");
            std::process::exit(1);
        }
    }
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("signal handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    let dir = cp.dir.clone();
    drop(cp);
    let _ = std::fs::remove_dir_all(dir);
}
