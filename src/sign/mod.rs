//! Signing (签章): the signer's certificate and key, read from a PKCS#12 file and checked once
//! per run, and detached CMS signatures made with them — the PAdES baseline B-B signature of
//! every PDF and the signature of the batch manifest — plus the unit's seal image ([`Seal`]).
//!
//! No cryptography is written here: RustCrypto's crates decrypt the PKCS#12 file
//! (`p12-keystore`), hash (`sha2`) and sign (`rsa`, `p256`); this module checks what it is
//! given and assembles the CMS structures (`cms`, `x509-cert`, `der`). It reads no file: the
//! caller hands it bytes.

mod cms;
mod seal;

use std::ops::Not as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use ::cms::cert::IssuerAndSerialNumber;
use der::{Decode as _, Encode as _};
use p12_keystore::Pkcs12Archive;
use p12_keystore::error::Error as P12Error;
use pkcs8::DecodePrivateKey as _;
use sha2::{Digest as _, Sha256};
use spki::DecodePublicKey as _;
use x509_cert::Certificate;
use x509_cert::ext::pkix::KeyUsage;

pub use cms::SigningFault;
pub use seal::Seal;

/// A signing certificate or a seal image that cannot be used, or a signature that cannot be
/// made: the file concerned and the [`Problem`]. Wrapped by [`crate::Error::Signing`], which
/// shows it bounded.
#[derive(Debug, thiserror::Error)]
#[error("{}：{problem}", path.display())]
pub struct SignError {
    /// The `.p12` or `.png` file, or the file being signed.
    pub path: PathBuf,
    /// What is wrong.
    #[source]
    pub problem: Problem,
}

/// What is wrong with the signing certificate (`--sign`) or the seal image (`--seal`). The
/// message names the rule broken, in Chinese.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    /// The file is not a PKCS#12 (`.p12`/`.pfx`) file at all.
    #[error("不是 PKCS#12 证书文件（.p12/.pfx）")]
    NotPkcs12,
    /// The password does not open the file (its integrity check fails).
    #[error("证书密码不对（用 --sign-password-file 文件或环境变量 JIXIAO_SIGN_PASSWORD 给出密码）")]
    WrongPassword,
    /// The file is PKCS#12 but cannot be opened: an encryption scheme not supported, or
    /// damaged contents.
    #[error("无法解开证书文件：{0}")]
    Unreadable(String),
    /// The file holds no private key.
    #[error("证书文件中没有私钥")]
    NoKey,
    /// The file holds a private key but no certificate.
    #[error("证书文件中没有证书")]
    NoCertificate,
    /// A certificate in the file cannot be parsed.
    #[error("证书无法解析：{0}")]
    BadCertificate(String),
    /// The private key is neither RSA nor ECDSA P-256.
    #[error("不支持的私钥类型 {0}（支持 RSA 与 ECDSA P-256）")]
    UnsupportedKey(String),
    /// The private key is not the key of the certificate.
    #[error("私钥与证书不匹配（证书“{subject}”的公钥不是这把私钥的）")]
    KeyMismatch {
        /// The certificate's subject.
        subject: String,
    },
    /// The certificate is not valid yet.
    #[error("证书“{subject}”尚未生效（自 {from} 起有效）")]
    NotYetValid {
        /// The certificate's subject.
        subject: String,
        /// `notBefore`, in China Standard Time.
        from: String,
    },
    /// The certificate has expired.
    #[error("证书“{subject}”已于 {until} 过期")]
    Expired {
        /// The certificate's subject.
        subject: String,
        /// `notAfter`, in China Standard Time.
        until: String,
    },
    /// The certificate may not be used for signatures: its key usage lists neither
    /// digitalSignature nor nonRepudiation, or it has no key usage at all (PDF validators
    /// such as pyHanko refuse such a signer).
    #[error(
        "证书“{subject}”的密钥用途不含数字签名（digitalSignature）或不可否认（nonRepudiation），不能用于签名"
    )]
    NotForSigning {
        /// The certificate's subject.
        subject: String,
    },
    /// Signing failed: the key refused to sign, or the signature could not be encoded.
    #[error("签名失败：{0}")]
    Signing(#[source] SigningFault),
    /// The seal file is not a PNG image.
    #[error("印章图片不是 PNG 文件")]
    SealNotPng,
    /// The seal PNG cannot be decoded, or is too large to be a seal.
    #[error("印章图片无法使用：{0}")]
    BadSeal(String),
}

/// The signing key, parsed once.
#[derive(Clone)]
enum Key {
    /// RSA, PKCS#1 v1.5 with SHA-256 (blinded with the system's random numbers).
    Rsa(rsa::pkcs1v15::SigningKey<Sha256>),
    /// ECDSA on P-256 with SHA-256 (deterministic nonces, RFC 6979).
    P256(p256::ecdsa::SigningKey),
}

/// A signer: the key, the certificate chain and what every signature repeats, prepared once
/// per run and shared by every thread.
#[derive(Clone)]
pub struct Signer {
    key: Key,
    /// The signer's certificate, then the certificates that issued it, DER.
    chain: Vec<Vec<u8>>,
    /// The pieces every signature repeats (identifier, certificates, ESS attribute).
    parts: cms::Parts,
    /// The subject's common name: the signer's name.
    name: String,
    /// The subject's organisation, when it names one.
    unit: Option<String>,
    /// The subject, as shown in messages.
    subject: String,
    /// The largest signature this signer makes, in bytes (the PDF reserves room for it).
    max_len: usize,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("subject", &self.subject)
            .field(
                "key",
                &match self.key {
                    Key::Rsa(_) => "RSA",
                    Key::P256(_) => "ECDSA P-256",
                },
            )
            .field("chain", &self.chain.len())
            .finish_non_exhaustive()
    }
}

fn problem(path: &Path, problem: Problem) -> SignError {
    SignError {
        path: path.to_path_buf(),
        problem,
    }
}

/// Seconds since the Unix epoch of `t` (negative before it).
fn unix(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    }
}

impl Signer {
    /// Opens the PKCS#12 file `bytes` (read from `path`, named in messages) with `password`
    /// and checks that it can sign at `now`: a private key (RSA or ECDSA P-256) with its
    /// certificate, the key matching the certificate, the certificate valid at `now` and
    /// allowed to sign. The certificate chain in the file is kept to be embedded.
    ///
    /// # Errors
    /// [`SignError`] with the [`Problem`] found first.
    pub fn from_pkcs12(
        path: &Path,
        bytes: &[u8],
        password: &str,
        now: SystemTime,
    ) -> Result<Self, SignError> {
        let fail = |p: Problem| problem(path, p);
        let archive = open_pkcs12(bytes, password).map_err(fail)?;
        let Some(key_bag) = archive.keys.first() else {
            return Err(fail(Problem::NoKey));
        };
        let (key, public) = parse_key(key_bag.key.as_der()).map_err(fail)?;

        if archive.certs.is_empty() {
            return Err(fail(Problem::NoCertificate));
        }
        // The signer's certificate: the one the key bag names, else the first.
        let leaf_index = key_bag
            .local_key_id
            .as_ref()
            .and_then(|id| {
                archive
                    .certs
                    .iter()
                    .position(|c| c.local_key_id.as_deref() == Some(id.as_ref()))
            })
            .unwrap_or(0);
        let certs: Vec<Certificate> = archive
            .certs
            .iter()
            .map(|c| Certificate::from_der(c.cert.as_der()))
            .collect::<Result<_, _>>()
            .map_err(|e| fail(Problem::BadCertificate(e.to_string())))?;
        let leaf = &certs[leaf_index];
        let tbs = leaf.tbs_certificate();
        let subject = tbs.subject().to_string();
        check_leaf(leaf, &public, now).map_err(fail)?;
        let chain_index = chain_of(&certs, leaf_index);
        let chain: Vec<Vec<u8>> = chain_index
            .iter()
            .map(|&k| archive.certs[k].cert.as_der().to_vec())
            .collect();
        let chain_certs: Vec<Certificate> = chain_index.iter().map(|&k| certs[k].clone()).collect();

        let text = |v: der::Result<Option<x509_cert::ext::pkix::name::DirectoryString>>| {
            v.ok()
                .flatten()
                .map(|s| s.value().trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let name = text(tbs.subject().common_name()).unwrap_or_else(|| subject.clone());
        let unit = text(tbs.subject().organization());
        let parts = cms::Parts::new(
            leaf,
            &chain_certs,
            &Sha256::digest(&chain[0]),
            IssuerAndSerialNumber {
                issuer: tbs.issuer().clone(),
                serial_number: tbs.serial_number().clone(),
            },
        )
        .map_err(|e| fail(Problem::BadCertificate(e.to_string())))?;
        let mut signer = Signer {
            key,
            chain,
            parts,
            name,
            unit,
            subject,
            max_len: 0,
        };
        // One signature now: the key works, and its size tells what a PDF must reserve (an
        // ECDSA signature varies by a few bytes; RSA's never does).
        let trial = signer.sign_digest(&[0; 32]).map_err(fail)?;
        signer.max_len = trial.len() + 16;
        Ok(signer)
    }

    /// The signer's name: the certificate subject's common name (CN).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The organisation (O) the certificate names, if any.
    pub fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// The certificate's subject, e.g. `CN=张三,O=北京艺术博物馆,C=CN`.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The signer's certificate and the certificates that issued it, DER, signer first.
    pub fn chain(&self) -> &[Vec<u8>] {
        &self.chain
    }

    /// The largest signature [`Signer::sign_digest`] returns, in bytes.
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// A detached CMS signature (DER `ContentInfo` of a `SignedData`) of content whose SHA-256
    /// is `digest`: signed attributes content-type, message-digest and
    /// signing-certificate-v2 (ESS, as PAdES requires), no signing time (a PDF carries it in
    /// its signature dictionary), the certificate chain embedded.
    ///
    /// # Errors
    /// [`Problem::Signing`] when the key fails to sign or the structure cannot be encoded;
    /// neither happens with a key that [`Signer::from_pkcs12`] accepted.
    pub fn sign_digest(&self, digest: &[u8; 32]) -> Result<Vec<u8>, Problem> {
        self.parts
            .signed_data(digest, |attrs| self.key.sign(attrs))
            .map_err(Problem::Signing)
    }

    /// A detached CMS signature of `content` (see [`Signer::sign_digest`]).
    ///
    /// # Errors
    /// As [`Signer::sign_digest`].
    pub fn sign(&self, content: &[u8]) -> Result<Vec<u8>, Problem> {
        self.sign_digest(&Sha256::digest(content).into())
    }
}

/// Opens the PKCS#12 file `bytes` with `password`.
fn open_pkcs12(bytes: &[u8], password: &str) -> Result<Pkcs12Archive, Problem> {
    Pkcs12Archive::from_pkcs12(bytes, password).map_err(|e| match e {
        P12Error::MacError(_) => Problem::WrongPassword,
        // A PKCS#12 file starts as a SEQUENCE with version 3; anything that does not parse
        // that far is another kind of file.
        P12Error::DerError(_) | P12Error::InvalidVersion
            if pkcs12::pfx::Pfx::from_der(bytes)
                .is_ok_and(|pfx| pfx.version == pkcs12::pfx::Version::V3)
                .not() =>
        {
            Problem::NotPkcs12
        }
        // A wrong password without a MAC, or with a legacy MAC, surfaces as bad padding of
        // the decrypted contents.
        P12Error::UnpadError => Problem::WrongPassword,
        other => Problem::Unreadable(other.to_string()),
    })
}

/// Checks that the signer's certificate `leaf` can sign at `now` with the key whose public
/// half is `public`: the key is the certificate's, the certificate is valid, and its key
/// usage allows signatures.
fn check_leaf(leaf: &Certificate, public: &Public, now: SystemTime) -> Result<(), Problem> {
    let tbs = leaf.tbs_certificate();
    let subject = tbs.subject().to_string();
    if !public.matches(tbs.subject_public_key_info()) {
        return Err(Problem::KeyMismatch { subject });
    }
    let validity = tbs.validity();
    let (from, until) = (
        validity.not_before.to_unix_duration().as_secs(),
        validity.not_after.to_unix_duration().as_secs(),
    );
    let now = unix(now);
    let shown = |secs: u64| crate::date::from_unix(i64::try_from(secs).unwrap_or(i64::MAX));
    if now < i64::try_from(from).unwrap_or(i64::MAX) {
        return Err(Problem::NotYetValid {
            subject,
            from: shown(from),
        });
    }
    if now > i64::try_from(until).unwrap_or(i64::MAX) {
        return Err(Problem::Expired {
            subject,
            until: shown(until),
        });
    }
    let may_sign = matches!(
        tbs.get_extension::<KeyUsage>(),
        Ok(Some((_, usage))) if usage.digital_signature() || usage.non_repudiation()
    );
    if !may_sign {
        return Err(Problem::NotForSigning { subject });
    }
    Ok(())
}

/// The chain of `certs[leaf]`: each certificate's issuer among the others, up to a
/// self-signed one, as indices, the leaf first.
fn chain_of(certs: &[Certificate], leaf: usize) -> Vec<usize> {
    let mut chain = vec![leaf];
    let mut current = leaf;
    loop {
        let issued = certs[current].tbs_certificate();
        if issued.issuer() == issued.subject() {
            break;
        }
        let Some(next) = (0..certs.len()).find(|&k| {
            !chain.contains(&k) && certs[k].tbs_certificate().subject() == issued.issuer()
        }) else {
            break;
        };
        chain.push(next);
        current = next;
    }
    chain
}

impl Key {
    /// The signature of `message` (the DER of the signed attributes), and its algorithm.
    fn sign(&self, message: &[u8]) -> Result<(Vec<u8>, cms::Algorithm), signature::Error> {
        use signature::{SignatureEncoding as _, Signer as _};
        match self {
            Key::Rsa(key) => key
                .try_sign(message)
                .map(|s| (s.to_vec(), cms::Algorithm::RsaSha256)),
            Key::P256(key) => {
                let s: Result<p256::ecdsa::DerSignature, _> = key.try_sign(message);
                s.map(|s| (s.to_vec(), cms::Algorithm::EcdsaSha256))
            }
        }
    }
}

/// The public half of a key, to compare with a certificate's.
enum Public {
    Rsa(rsa::PublicKey),
    P256(p256::ecdsa::VerifyingKey),
}

impl Public {
    /// Whether the certificate's public key is this one.
    fn matches(&self, spki: &spki::SubjectPublicKeyInfoOwned) -> bool {
        let Ok(der) = spki.to_der() else {
            return false;
        };
        match self {
            Public::Rsa(key) => rsa::PublicKey::from_public_key_der(&der).is_ok_and(|k| &k == key),
            Public::P256(key) => {
                p256::ecdsa::VerifyingKey::from_public_key_der(&der).is_ok_and(|k| &k == key)
            }
        }
    }
}

/// The key in a PKCS#8 `PrivateKeyInfo`, RSA or ECDSA P-256, with its public half.
fn parse_key(der: &[u8]) -> Result<(Key, Public), Problem> {
    let info = pkcs8::PrivateKeyInfoRef::try_from(der)
        .map_err(|e| Problem::Unreadable(format!("私钥无法解析：{e}")))?;
    let algorithm = info.algorithm.oid;
    if algorithm == cms::RSA_ENCRYPTION {
        let key = rsa::PrivateKey::from_pkcs8_der(der)
            .map_err(|e| Problem::Unreadable(format!("RSA 私钥无法解析：{e}")))?;
        let public = key.to_public_key();
        Ok((
            Key::Rsa(rsa::pkcs1v15::SigningKey::new(key)),
            Public::Rsa(public),
        ))
    } else if algorithm == cms::EC_PUBLIC_KEY {
        let key = p256::ecdsa::SigningKey::from_pkcs8_der(der)
            .map_err(|_| Problem::UnsupportedKey("ECDSA（非 P-256 曲线）".to_string()))?;
        let public = *key.verifying_key();
        Ok((Key::P256(key), Public::P256(public)))
    } else {
        Err(Problem::UnsupportedKey(algorithm.to_string()))
    }
}

/// The signing time, `2025-03-01T09:30:00+08:00` → `2025-03-01 09:30`, as the signature's
/// appearance shows it.
pub fn shown_time(rfc3339: &str) -> Option<String> {
    let (y, mo, d, h, mi, _, _) = crate::date::parse_rfc3339(rfc3339)?;
    Some(format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"))
}
