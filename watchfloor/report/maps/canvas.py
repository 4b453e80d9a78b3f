"""The figure being drawn: its map axes and the pixel geometry every drawing step shares."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from watchfloor.report.maps.frame import Frame
from watchfloor.report.maps.page import (
    AX_BOTTOM,
    AX_LEFT,
    AX_RIGHT,
    AX_TOP,
    DPI,
    FRAME_EDGE,
    HEIGHT_PX,
    SEA,
    WIDTH_PX,
    Box,
)

_EDGE_PAD = 4.0  # px between a label and the map's edge


class Canvas:
    """The figure, its map axes and the pixel geometry shared by the drawing steps."""

    def __init__(self, frame: Frame) -> None:
        self.fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.fig)
        width, height = AX_RIGHT - AX_LEFT, AX_TOP - AX_BOTTOM
        # Equal scales on both axes; only a frame from pole to pole is narrower than the page.
        fit = ((frame.x1 - frame.x0) / (frame.y1 - frame.y0)) / (width * WIDTH_PX / (height * HEIGHT_PX))
        left = AX_LEFT + width * (1 - min(fit, 1.0)) / 2
        self.ax = self.fig.add_axes((left, AX_BOTTOM, width * min(fit, 1.0), height))
        self.frame = frame
        self.ax.set_xlim(frame.x0, frame.x1)
        self.ax.set_ylim(frame.y0, frame.y1)
        self.ax.set_facecolor(SEA)
        for side in self.ax.spines.values():
            side.set_color(FRAME_EDGE)
            side.set_linewidth(0.8)
        self.renderer = self.canvas.get_renderer()
        self.to_px = self.ax.transData
        self.to_data = self.ax.transData.inverted()
        x0, y0, x1, y1 = self.ax.bbox.extents
        self.limits: Box = (x0 + _EDGE_PAD, y0 + _EDGE_PAD, x1 - _EDGE_PAD, y1 - _EDGE_PAD)
        self.px_per_deg = (x1 - x0) / (frame.x1 - frame.x0)

    def px(self, x: float, y: float) -> tuple[float, float]:
        a, b = self.to_px.transform((x, y))
        return float(a), float(b)

    def data(self, x: float, y: float) -> tuple[float, float]:
        a, b = self.to_data.transform((x, y))
        return float(a), float(b)

    def text_size(self, text: str, font: FontProperties) -> tuple[float, float]:
        probe = self.ax.text(0, 0, text, fontproperties=font, parse_math=False, ha="left", va="bottom")
        ext = probe.get_window_extent(self.renderer)
        probe.remove()
        return float(ext.width), float(ext.height)

    def centred_on_frame(self, lon: float) -> float:
        """The copy of a longitude nearest the frame's middle."""
        return lon + 360.0 * round(((self.frame.x0 + self.frame.x1) / 2 - lon) / 360.0)
