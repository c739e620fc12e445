//! Helpers for Dyad's end-to-end tests: find the built binaries, start them
//! on free ports and stop them.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
};

/// The directory holding the workspace's binaries (`target/debug` or
/// `target/release`), found from the running test executable.
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    exe.parent()
        .and_then(Path::parent)
        .expect("tests run from target/<profile>/deps")
        .to_path_buf()
}

/// Path of a workspace binary; panics with the command to build it when it
/// is missing.
pub fn binary(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(
        path.exists(),
        "{} is missing: build the binaries first with `cargo build --workspace --bins` \
         (the README's test command does)",
        path.display()
    );
    path
}

/// The fixture article shipped with the tests.
pub fn fixture_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/russia-armenia-peacekeepers.txt")
}

/// The repository's root directory.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lies in the repository")
        .to_path_buf()
}

/// A running service process, killed when dropped.
pub struct Service {
    /// The child process.
    pub child: Child,
    /// Address it listens on, `127.0.0.1:PORT`.
    pub addr: String,
}

impl Service {
    /// Starts `name` with `args` plus `--addr 127.0.0.1:0` and waits for the
    /// line in which it reports the address it bound.
    pub fn start(name: &str, args: &[&str]) -> Self {
        Self::start_logging(name, args, "warn", Stdio::inherit())
    }

    /// [`Service::start`] with the log filtered by `filter` (RUST_LOG)
    /// written to `log`.
    pub fn start_logging(name: &str, args: &[&str], filter: &str, log: impl Into<Stdio>) -> Self {
        // The query service's HTTP door has a fixed default port: tests
        // that run side by side ask for none unless they ask for one.
        let no_http = name == "dyad-query" && !args.contains(&"--http-addr");
        let mut child = Command::new(binary(name))
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .args(if no_http {
                &["--http-addr", "off"][..]
            } else {
                &[]
            })
            .env("RUST_LOG", filter)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name}: {e}"));
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the service prints its address");
        let addr = line
            .trim()
            .rsplit(' ')
            .next()
            .filter(|a| a.contains(':'))
            .unwrap_or_else(|| panic!("{name} did not report its address; printed {line:?}"))
            .to_string();
        Self { child, addr }
    }

    /// The `http://` URL of the service.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends SIGTERM and returns whether the process exited successfully.
    pub fn terminate(mut self) -> bool {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .is_ok_and(|s| s.success());
        sent && self.child.wait().is_ok_and(|s| s.success())
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Files of a test certificate authority and a server certificate it
/// signed, for `localhost` and 127.0.0.1.
pub struct TlsFiles {
    /// The CA's certificate (what clients trust), PEM.
    pub ca_cert: PathBuf,
    /// The server's certificate, PEM.
    pub server_cert: PathBuf,
    /// The server's private key, PEM.
    pub server_key: PathBuf,
}

/// Writes a fresh CA and server certificate into `dir`.
pub fn tls_files(dir: &Path) -> TlsFiles {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
        .expect("CA certificate");
    let server_key = KeyPair::generate().expect("server key");
    let server = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .expect("server parameters")
        .signed_by(&server_key, &ca)
        .expect("server certificate");
    let files = TlsFiles {
        ca_cert: dir.join("ca.pem"),
        server_cert: dir.join("server.pem"),
        server_key: dir.join("server.key"),
    };
    std::fs::write(&files.ca_cert, ca.pem()).expect("write ca.pem");
    std::fs::write(&files.server_cert, server.pem()).expect("write server.pem");
    std::fs::write(&files.server_key, server_key.serialize_pem()).expect("write server.key");
    files
}

/// A free TCP port on 127.0.0.1 (free when asked; another process may take it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

/// The body of `GET http://addr/path`, by hand over TCP (HTTP/1.0).
pub fn http_get(addr: &str, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response
        .split_once("\r\n\r\n")
        .map_or(response.clone(), |(_, body)| body.to_string()))
}
