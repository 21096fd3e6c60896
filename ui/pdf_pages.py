"""The pages of a PDF Havre made, as images (pdfium): for the print preview, and to print the
very same pages through the system's printer."""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from app.errors import HavreError
from app.i18n import _

POINTS_PER_INCH = 72
# Enough for sharp text on paper; a printer's full resolution would need hundreds of MB.
PRINT_DPI = 300


class PrintingFailed(HavreError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The printer could not be used. Check that it is switched on, connected and "
                "has paper, then print again. Nothing was counted."
            )
        )


def page_images(pdf: bytes, dots_per_inch: float) -> list[QImage]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [_image(document[index], dots_per_inch) for index in range(len(document))]
    finally:
        document.close()


def page_layout(pdf: bytes) -> QPageLayout:
    """The size and orientation of the first page, for the printer (no margins: the PDF has
    its own)."""
    document = pdfium.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    # A page size is given upright (A4 is 595 × 842 pt); the orientation turns it.
    size = QPageSize(
        QSizeF(min(width, height), max(width, height)),
        QPageSize.Unit.Point,
        "",
        QPageSize.SizeMatchPolicy.FuzzyMatch,
    )
    orientation = (
        QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(size, orientation, QMarginsF())


def print_pdf(printer: QPrinter, pdf: bytes) -> None:
    """Every page on `printer`, scaled to its printable area; `PrintingFailed` if it cannot."""
    images = page_images(pdf, min(PRINT_DPI, printer.resolution()))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintingFailed()
    try:
        for number, image in enumerate(images):
            if number and not printer.newPage():
                raise PrintingFailed()
            area = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
            area.moveTo(0, 0)
            scaled = QSizeF(image.size()).scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(area.topLeft(), scaled)
            target.moveCenter(area.center())
            painter.drawImage(target, image)
    finally:
        painter.end()


def _image(page: pdfium.PdfPage, dots_per_inch: float) -> QImage:
    bitmap = page.render(scale=dots_per_inch / POINTS_PER_INCH, rev_byteorder=True)
    image = QImage(
        bytes(bitmap.buffer),
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGB888,
    )
    return image.copy()  # detached from the buffer, which pdfium frees
