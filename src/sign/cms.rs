//! The CMS structures of a detached signature (RFC 5652 `SignedData`), with the ESS
//! signing-certificate-v2 attribute (RFC 5035) that PAdES and CAdES require. Encoding only:
//! the signature itself comes from the caller's key.

use ::cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use ::cms::content_info::{CmsVersion, ContentInfo};
use ::cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{Null, ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Encode as _, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

/// Why a signature could not be made; neither happens with a key that was checked.
#[derive(Debug, thiserror::Error)]
pub enum SigningFault {
    /// The key refused to sign.
    #[error("{0}")]
    Key(#[source] signature::Error),
    /// The CMS structure could not be encoded.
    #[error("{0}")]
    Encoding(#[source] der::Error),
}

const fn oid(text: &str) -> ObjectIdentifier {
    ObjectIdentifier::new_unwrap(text)
}

/// rsaEncryption, the algorithm of an RSA key.
pub(super) const RSA_ENCRYPTION: ObjectIdentifier = oid("1.2.840.113549.1.1.1");
/// id-ecPublicKey, the algorithm of an elliptic-curve key.
pub(super) const EC_PUBLIC_KEY: ObjectIdentifier = oid("1.2.840.10045.2.1");
const SHA256_WITH_RSA: ObjectIdentifier = oid("1.2.840.113549.1.1.11");
const ECDSA_WITH_SHA256: ObjectIdentifier = oid("1.2.840.10045.4.3.2");
const SHA256: ObjectIdentifier = oid("2.16.840.1.101.3.4.2.1");
/// id-data: the content type of a signed document or manifest.
const DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.1");
const SIGNED_DATA: ObjectIdentifier = oid("1.2.840.113549.1.7.2");
const CONTENT_TYPE: ObjectIdentifier = oid("1.2.840.113549.1.9.3");
const MESSAGE_DIGEST: ObjectIdentifier = oid("1.2.840.113549.1.9.4");
const SIGNING_CERTIFICATE_V2: ObjectIdentifier = oid("1.2.840.113549.1.9.16.2.47");

/// `SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, policies … OPTIONAL }`.
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

/// `ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }`:
/// SHA-256, the default, is left out as DER requires.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`.
#[derive(Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// The signature algorithm a key used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Algorithm {
    /// sha256WithRSAEncryption (PKCS#1 v1.5).
    RsaSha256,
    /// ecdsa-with-SHA256.
    EcdsaSha256,
}

impl Algorithm {
    fn identifier(self) -> AlgorithmIdentifierOwned {
        match self {
            Algorithm::RsaSha256 => AlgorithmIdentifierOwned {
                oid: SHA256_WITH_RSA,
                parameters: Some(Any::from(Null)),
            },
            Algorithm::EcdsaSha256 => AlgorithmIdentifierOwned {
                oid: ECDSA_WITH_SHA256,
                parameters: None,
            },
        }
    }
}

fn sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: SHA256,
        parameters: None,
    }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> der::Result<Attribute> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value])?,
    })
}

/// What every signature of one signer repeats, encoded once.
#[derive(Clone)]
pub(super) struct Parts {
    sid: SignerIdentifier,
    certificates: CertificateSet,
    signing_certificate: Attribute,
}

impl Parts {
    /// The parts for the signer's certificate `leaf` (whose DER hashes to `leaf_hash`), with
    /// `chain` (the leaf first) to embed.
    pub(super) fn new(
        leaf: &Certificate,
        chain: &[Certificate],
        leaf_hash: &[u8],
        issuer_serial: IssuerAndSerialNumber,
    ) -> der::Result<Parts> {
        let ess = SigningCertificateV2 {
            certs: vec![EssCertIdV2 {
                cert_hash: OctetString::new(leaf_hash)?,
                issuer_serial: IssuerSerial {
                    issuer: vec![GeneralName::DirectoryName(
                        leaf.tbs_certificate().issuer().clone(),
                    )],
                    serial_number: leaf.tbs_certificate().serial_number().clone(),
                },
            }],
        };
        let certificates = CertificateSet(SetOfVec::try_from(
            chain
                .iter()
                .cloned()
                .map(CertificateChoices::Certificate)
                .collect::<Vec<_>>(),
        )?);
        Ok(Parts {
            sid: SignerIdentifier::IssuerAndSerialNumber(issuer_serial),
            certificates,
            signing_certificate: attribute(SIGNING_CERTIFICATE_V2, Any::encode_from(&ess)?)?,
        })
    }

    /// The DER `ContentInfo` of a detached `SignedData` over content whose SHA-256 is
    /// `digest`; `sign` signs the DER of the signed attributes and says with what.
    pub(super) fn signed_data(
        &self,
        digest: &[u8; 32],
        sign: impl FnOnce(&[u8]) -> Result<(Vec<u8>, Algorithm), signature::Error>,
    ) -> Result<Vec<u8>, SigningFault> {
        let text = SigningFault::Encoding;
        let attrs = SetOfVec::try_from(vec![
            attribute(CONTENT_TYPE, Any::encode_from(&DATA).map_err(text)?).map_err(text)?,
            attribute(
                MESSAGE_DIGEST,
                Any::encode_from(&OctetString::new(digest.as_slice()).map_err(text)?)
                    .map_err(text)?,
            )
            .map_err(text)?,
            self.signing_certificate.clone(),
        ])
        .map_err(text)?;
        // The signature covers the attributes' DER as a SET OF (RFC 5652 §5.4).
        let (signature, algorithm) =
            sign(&attrs.to_der().map_err(text)?).map_err(SigningFault::Key)?;
        let signer = SignerInfo {
            version: CmsVersion::V1,
            sid: self.sid.clone(),
            digest_alg: sha256(),
            signed_attrs: Some(attrs),
            signature_algorithm: algorithm.identifier(),
            signature: OctetString::new(signature).map_err(text)?,
            unsigned_attrs: None,
        };
        let signed = SignedData {
            version: CmsVersion::V1,
            digest_algorithms: SetOfVec::try_from(vec![sha256()]).map_err(text)?,
            encap_content_info: EncapsulatedContentInfo {
                econtent_type: DATA,
                econtent: None,
            },
            certificates: Some(self.certificates.clone()),
            crls: None,
            signer_infos: SignerInfos(SetOfVec::try_from(vec![signer]).map_err(text)?),
        };
        ContentInfo {
            content_type: SIGNED_DATA,
            content: Any::encode_from(&signed).map_err(text)?,
        }
        .to_der()
        .map_err(text)
    }
}
