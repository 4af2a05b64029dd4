//! The first contact of a new execution environment, over TLS: Connect is reached over HTTPS, and a
//! new process pays for its first TLS handshake (the root store, the key exchange, and the
//! crypto library's first use of randomness) on the caller's time.
//!
//! A certificate authority and a server certificate for `localhost` are made for each run
//! (rcgen). The local HTTPS endpoint terminates TLS (rustls) and passes the bytes on to the
//! wiremock Connect endpoint. The functions trust the authority the way Lambda's images are set
//! up: `SSL_CERT_FILE` names one bundle, the system's roots plus the test authority, and no
//! certificate directory is set.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use super::report::{Table, Verdict};
use super::stats::{median, ms, us};
use super::{
    Binaries, Binary, ConnectStub, Function, Result, check_contact, direct_payload, env_for,
    progress,
};

// Targets (issue 11), ratios against the floor in the same run.
const TO_FIRST_CONTACT_MAX_RATIO: f64 = 0.30;
const CPU_TO_FIRST_CONTACT_MAX_RATIO: f64 = 0.25;

/// Where the system's roots are, first match: Debian and Ubuntu, then Amazon Linux (Lambda).
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
];

/// The local HTTPS Connect endpoint, and the CA bundle that trusts it.
struct TlsEndpoint {
    url: String,
    ca_bundle: PathBuf,
    accept: JoinHandle<()>,
}

impl Drop for TlsEndpoint {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl TlsEndpoint {
    /// Terminates TLS on a port of its own and forwards each connection to `upstream`.
    async fn start(upstream: SocketAddr, work: &Path) -> Result<TlsEndpoint> {
        let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "contact-bridge benchmark CA");
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;

        let server_key = KeyPair::generate()?;
        let server_cert =
            CertificateParams::new(vec!["localhost".to_owned()])?.signed_by(&server_key, &ca)?;

        let system = SYSTEM_BUNDLES
            .iter()
            .find_map(|path| std::fs::read_to_string(path).ok())
            .ok_or("no system CA bundle found (install the ca-certificates package)")?;
        let ca_bundle = work.join("ca-bundle.crt");
        std::fs::write(&ca_bundle, format!("{system}\n{}", ca.pem()))?;

        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![
                    server_cert.der().clone(),
                    CertificateDer::from(ca.der().to_vec()),
                ],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
            )?;
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("https://localhost:{}", listener.local_addr()?.port());
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let _ = forward(acceptor, stream, upstream).await;
                });
            }
        });
        Ok(TlsEndpoint {
            url,
            ca_bundle,
            accept,
        })
    }
}

/// One client connection: the TLS handshake, then the plain bytes both ways to `upstream`.
async fn forward(acceptor: TlsAcceptor, stream: TcpStream, upstream: SocketAddr) -> Result<()> {
    stream.set_nodelay(true)?;
    let mut tls = acceptor.accept(stream).await?;
    let mut plain = TcpStream::connect(upstream).await?;
    plain.set_nodelay(true)?;
    tokio::io::copy_bidirectional(&mut tls, &mut plain).await?;
    Ok(())
}

/// One row of the table: a figure of [`FirstContact`], and its target ratio if it has one.
struct Row {
    metric: &'static str,
    pick: fn(&FirstContact) -> Duration,
    show: fn(Duration) -> String,
    max_ratio: Option<f64>,
}

impl Row {
    fn reported(
        metric: &'static str,
        pick: fn(&FirstContact) -> Duration,
        show: fn(Duration) -> String,
    ) -> Row {
        Row {
            metric,
            pick,
            show,
            max_ratio: None,
        }
    }
}

/// What one start of a function measured.
struct FirstContact {
    init: Duration,
    first_call: Duration,
    to_first_contact: Duration,
    cpu_to_first_contact: Duration,
    warm_call: Duration,
}

async fn start_and_call(
    binaries: &Binaries,
    binary: Binary,
    env: &[(&'static str, String)],
    payload: &[u8],
) -> Result<FirstContact> {
    let function = Function::start(binaries, binary, env).await?;
    let (first_call, answer) = function.invoke(payload).await?;
    let to_first_contact = function.started.elapsed();
    let cpu_to_first_contact = function.cpu_time()?;
    check_contact(binary, &answer)?;
    let (warm_call, answer) = function.invoke(payload).await?;
    check_contact(binary, &answer)?;
    let init = function.init;
    function.stop().await?;
    Ok(FirstContact {
        init,
        first_call,
        to_first_contact,
        cpu_to_first_contact,
        warm_call,
    })
}

/// 6. New processes, floor and project alternately, each creating its first contact over TLS.
pub async fn first_contact(
    binaries: &Binaries,
    starts: usize,
    table: &mut Table,
    notes: &mut Vec<String>,
) -> Result<()> {
    progress(&format!(
        "first contact over TLS: {starts} starts per binary, alternating (plus one discarded \
         start each)"
    ));
    let mock = ConnectStub::start_unrecorded(Duration::ZERO).await;
    let endpoint = TlsEndpoint::start(*mock.server.address(), &binaries.work).await?;
    let bundle = endpoint.ca_bundle.to_str().ok_or("non-UTF-8 path")?;
    let mut env = env_for(&mock, &[("SSL_CERT_FILE", bundle)]);
    for (name, value) in &mut env {
        if *name == "AWS_ENDPOINT_URL_CONNECT" {
            *value = endpoint.url.clone();
        }
    }
    let payload = direct_payload()?;
    let (mut floor, mut project) = (Vec::new(), Vec::new());
    for round in 0..=starts {
        let order = if round % 2 == 0 {
            [Binary::Floor, Binary::Project]
        } else {
            [Binary::Project, Binary::Floor]
        };
        for binary in order {
            let sample = start_and_call(binaries, binary, &env, &payload).await?;
            if round > 0 {
                match binary {
                    Binary::Floor => floor.push(sample),
                    Binary::Project => project.push(sample),
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let calls = mock.calls();
    if calls != 4 * (starts + 1) {
        return Err(format!(
            "the TLS endpoint passed on {calls} calls, not {}",
            4 * (starts + 1)
        )
        .into());
    }

    let of = |samples: &[FirstContact], pick: fn(&FirstContact) -> Duration| -> Vec<Duration> {
        samples.iter().map(pick).collect()
    };
    // The median of each round's paired ratio, as for cold init: it cancels the machine's drift.
    let paired = |pick: fn(&FirstContact) -> Duration| -> f64 {
        let mut ratios: Vec<f64> = floor
            .iter()
            .zip(&project)
            .map(|(f, p)| pick(p).as_secs_f64() / pick(f).as_secs_f64())
            .collect();
        ratios.sort_by(f64::total_cmp);
        ratios[(ratios.len() - 1) / 2]
    };
    let rows = [
        Row::reported("init, process start to first poll", |s| s.init, ms),
        Row::reported(
            "first CreateContact (the invocation's round trip)",
            |s| s.first_call,
            ms,
        ),
        Row {
            metric: "to the first contact: process start to the first answer",
            pick: |s| s.to_first_contact,
            show: ms,
            max_ratio: Some(TO_FIRST_CONTACT_MAX_RATIO),
        },
        Row {
            metric: "CPU time to the first contact (process, all threads)",
            pick: |s| s.cpu_to_first_contact,
            show: ms,
            max_ratio: Some(CPU_TO_FIRST_CONTACT_MAX_RATIO),
        },
        Row::reported("the next (warm) CreateContact", |s| s.warm_call, us),
    ];
    for Row {
        metric,
        pick,
        show,
        max_ratio,
    } in rows
    {
        let ratio = paired(pick);
        let (target_text, result) = match max_ratio {
            Some(max) => (format!("≤ {max:.2}x floor"), Verdict::of(ratio <= max)),
            None => ("none (reported)".to_owned(), Verdict::Reported),
        };
        table.row(
            [
                &format!("TLS, new process: {metric} (median of {starts} starts each)"),
                &show(median(&of(&floor, pick))),
                &show(median(&of(&project, pick))),
                &format!("{ratio:.2}x (median of paired starts)"),
                &target_text,
            ],
            result,
        );
    }
    notes.push(format!(
        "TLS rows: HTTPS to a local endpoint with a certificate made for the run; both functions \
         trust it through SSL_CERT_FILE (the system bundle plus the run's CA), as on Lambda; \
         {calls} calls passed on."
    ));
    Ok(())
}
