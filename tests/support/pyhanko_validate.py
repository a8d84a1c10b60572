#!/usr/bin/env python3
"""Validates every signature of a PDF with pyHanko, trusting the given CA certificate only.

    python3 tests/support/pyhanko_validate.py FILE.pdf CA.pem

Prints pyHanko's report and one line per signature:
`signature N: intact=… valid=… trusted=… coverage=… bottom_line=…`. Exit code 0 when every
signature is intact, valid, trusted and covers the entire file; 1 otherwise; 2 when the file
has no signature or cannot be read.
"""
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext


def main(pdf, ca):
    context = ValidationContext(trust_roots=[load_cert_from_pemder(ca)])
    good = True
    with open(pdf, "rb") as f:
        signatures = PdfFileReader(f, strict=False).embedded_signatures
        if not signatures:
            print("no signature")
            return 2
        for n, signature in enumerate(signatures, 1):
            status = validate_pdf_signature(signature, context, skip_diff=True)
            print(status.pretty_print_details())
            entire = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            print(
                f"signature {n}: intact={status.intact} valid={status.valid} "
                f"trusted={status.trusted} coverage={status.coverage.name} "
                f"bottom_line={status.bottom_line}"
            )
            good &= status.intact and status.valid and status.trusted and entire
    return 0 if good else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1], sys.argv[2]))
    except Exception as e:  # an unreadable file: say what, exit 2
        print(f"error: {e}")
        sys.exit(2)
