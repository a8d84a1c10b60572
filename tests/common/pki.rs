//! Throwaway certificates for the signing tests, made with the `openssl` command line when a
//! test binary first asks: a test CA and signers under it (RSA and ECDSA P-256, one expired,
//! one not valid yet, one that may not sign), each as a password-protected PKCS#12 file, plus
//! one whose key is not its certificate's. Nothing is committed: each run makes its own keys.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::run_command;

/// The password of every PKCS#12 file made here.
pub const PASSWORD: &str = "测试-secret";

/// The files of the test PKI.
pub struct Pki {
    /// The folder holding everything.
    pub dir: PathBuf,
    /// The CA certificate (PEM): the trust root for pdfsig, pyHanko and openssl.
    pub ca: PathBuf,
    /// RSA-2048 signer, valid now, key usage digitalSignature + nonRepudiation, in a PKCS#12
    /// file with the legacy 3DES encryption and SHA-1 MAC (as Windows and older CAs export).
    pub rsa: PathBuf,
    /// ECDSA P-256 signer, valid now, in a PKCS#12 file with OpenSSL 3's AES/PBKDF2 default.
    pub ec: PathBuf,
    /// A signer whose certificate expired in 2021.
    pub expired: PathBuf,
    /// A signer whose certificate is valid from 2099 on.
    pub future: PathBuf,
    /// A signer whose certificate may only encipher keys.
    pub no_signing: PathBuf,
    /// The RSA signer's key with the ECDSA signer's certificate.
    pub mismatched: PathBuf,
    /// A file holding [`PASSWORD`], for `--sign-password-file`.
    pub password_file: PathBuf,
}

/// The subject of the test signers: their common name is the signer's name.
pub const SIGNER: &str = "张三";
/// The organisation of the test signers.
pub const UNIT: &str = "示例单位";

const CA_CONFIG: &str = "\
[ca]
default_ca = test_ca
[test_ca]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
countryName = optional
[signer]
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[encipher]
keyUsage = critical, keyEncipherment
";

fn openssl(dir: &Path, args: &[&str]) -> String {
    run_command(Command::new("openssl").args(args).current_dir(dir))
}

/// A key (`rsa` or `ec`) and a certificate from the test CA for it, valid `validity` (either
/// `-days N` or `-startdate … -enddate …`), with the extensions section `extensions`;
/// returns the PKCS#12 file made with `p12_args`.
fn signer(
    dir: &Path,
    name: &str,
    key: &str,
    validity: &[&str],
    extensions: &str,
    p12_args: &[&str],
) -> PathBuf {
    let key_file = format!("{name}.key");
    match key {
        "rsa" => openssl(
            dir,
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                &key_file,
            ],
        ),
        _ => openssl(
            dir,
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                &key_file,
            ],
        ),
    };
    let csr = format!("{name}.csr");
    let subject = format!("/C=CN/O={UNIT}/CN={SIGNER}");
    openssl(
        dir,
        &[
            "req", "-new", "-utf8", "-key", &key_file, "-subj", &subject, "-out", &csr,
        ],
    );
    let cert = format!("{name}.pem");
    let mut args = vec![
        "ca",
        "-batch",
        "-utf8",
        "-preserveDN",
        "-notext",
        "-config",
        "ca.cnf",
        "-cert",
        "ca.pem",
        "-keyfile",
        "ca.key",
        "-in",
        &csr,
        "-out",
        &cert,
        "-extensions",
        extensions,
    ];
    args.extend(validity);
    openssl(dir, &args);
    let p12 = format!("{name}.p12");
    let pass = format!("pass:{PASSWORD}");
    let mut args = vec![
        "pkcs12",
        "-export",
        "-inkey",
        &key_file,
        "-in",
        &cert,
        "-certfile",
        "ca.pem",
        "-out",
        &p12,
        "-passout",
        &pass,
    ];
    args.extend(p12_args);
    openssl(dir, &args);
    dir.join(p12)
}

/// The RSA key of `rsa.key` with the certificate `ec.pem`, as a PKCS#12 file (openssl
/// refuses to make one; p12-keystore writes what it is given).
fn mismatched(dir: &Path) -> PathBuf {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};
    let der = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(out.status.success(), "{args:?}");
        out.stdout
    };
    let key = der(&[
        "pkcs8", "-topk8", "-nocrypt", "-in", "rsa.key", "-outform", "DER",
    ]);
    let cert = der(&["x509", "-in", "ec.pem", "-outform", "DER"]);
    let chain = PrivateKeyChain::new(
        b"1".as_slice(),
        PrivateKey::from_der(&key).expect("the RSA key"),
        [Certificate::from_der(&cert).expect("the EC certificate")],
    );
    let mut store = KeyStore::new();
    store.add_entry("mismatched", KeyStoreEntry::PrivateKeyChain(chain));
    let bytes = store.writer(PASSWORD).write().expect("a PKCS#12 file");
    let path = dir.join("mismatched.p12");
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The test PKI, made once per test binary in its own folder under Cargo's target directory.
pub fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        // Kept for the whole run (tests share it); under target/, not the system's /tmp.
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("a folder for the test PKI")
            .keep();
        std::fs::write(dir.join("ca.cnf"), CA_CONFIG).unwrap();
        std::fs::write(dir.join("index.txt"), "").unwrap();
        std::fs::write(dir.join("serial"), "1000\n").unwrap();
        openssl(
            &dir,
            &[
                "req",
                "-x509",
                "-utf8",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "30",
                "-subj",
                "/C=CN/O=jixiao 测试/CN=jixiao Test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        let now = ["-days", "30"];
        let legacy = [
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ];
        let rsa = signer(&dir, "rsa", "rsa", &now, "signer", &legacy);
        let ec = signer(&dir, "ec", "ec", &now, "signer", &[]);
        let expired = signer(
            &dir,
            "expired",
            "ec",
            &[
                "-startdate",
                "20200101000000Z",
                "-enddate",
                "20210101000000Z",
            ],
            "signer",
            &[],
        );
        let future = signer(
            &dir,
            "future",
            "ec",
            &[
                "-startdate",
                "20990101000000Z",
                "-enddate",
                "21000101000000Z",
            ],
            "signer",
            &[],
        );
        let no_signing = signer(&dir, "encipher", "rsa", &now, "encipher", &[]);
        let mismatched = mismatched(&dir);
        let password_file = dir.join("password.txt");
        std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
        Pki {
            ca: dir.join("ca.pem"),
            rsa,
            ec,
            expired,
            future,
            no_signing,
            mismatched,
            password_file,
            dir,
        }
    })
}

/// The loaded signer of a PKCS#12 file of the test PKI.
pub fn load(p12: &Path) -> jixiao::sign::Signer {
    let bytes = std::fs::read(p12).unwrap();
    jixiao::sign::Signer::from_pkcs12(p12, &bytes, PASSWORD, std::time::SystemTime::now())
        .unwrap_or_else(|e| panic!("{e}"))
}
