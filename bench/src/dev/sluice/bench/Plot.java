package dev.sluice.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Line and bar charts as PNG (java.awt, headless). */
final class Plot {
    private static final int W = 900, H = 480, LEFT = 80, RIGHT = 200, TOP = 40, BOTTOM = 50;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private Plot() {}

    static void lines(Path file, String title, String xLabel, String yLabel, List<Series> series) throws IOException {
        double maxX = 1e-9, maxY = 1e-9;
        for (Series s : series) for (double[] p : s.points()) { maxX = Math.max(maxX, p[0]); maxY = Math.max(maxY, p[1]); }
        maxY *= 1.08;
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(image, title, xLabel, yLabel, maxX, maxY);
        int i = 0;
        for (Series s : series) {
            g.setColor(COLORS[i % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            List<double[]> pts = s.points();
            for (int k = 1; k < pts.size(); k++) {
                g.drawLine(x(pts.get(k - 1)[0], maxX), y(pts.get(k - 1)[1], maxY), x(pts.get(k)[0], maxX),
                        y(pts.get(k)[1], maxY));
            }
            legend(g, i++, s.name);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** Grouped bars: one group per category, one bar per series. */
    static void bars(Path file, String title, String yLabel, String[] categories, String[] seriesNames,
                     double[][] values) throws IOException {
        double maxY = 1e-9;
        for (double[] row : values) for (double v : row) if (!Double.isNaN(v)) maxY = Math.max(maxY, v);
        maxY *= 1.1;
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame(image, title, "", yLabel, Double.NaN, maxY);
        int plotWidth = W - LEFT - RIGHT;
        double group = (double) plotWidth / categories.length;
        double bar = group * 0.8 / seriesNames.length;
        for (int c = 0; c < categories.length; c++) {
            for (int s = 0; s < seriesNames.length; s++) {
                double v = values[s][c];
                if (Double.isNaN(v)) continue;
                g.setColor(COLORS[s % COLORS.length]);
                int x0 = (int) (LEFT + c * group + group * 0.1 + s * bar);
                g.fillRect(x0, y(v, maxY), Math.max(1, (int) bar - 1), H - BOTTOM - y(v, maxY));
            }
            if (categories.length <= 12) {
                g.setColor(Color.DARK_GRAY);
                g.drawString(categories[c], (int) (LEFT + c * group + 4), H - BOTTOM + 16);
            }
        }
        for (int s = 0; s < seriesNames.length; s++) legend(g, s, seriesNames[s]);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** Empirical CDF of each sample set (x = value, y = fraction ≤ x), x clipped at the 99.5th percentile of all. */
    static void cdf(Path file, String title, String xLabel, List<Lags> sets) throws IOException {
        double clip = 1e-9;
        for (Lags l : sets) if (l.millis().length > 0) clip = Math.max(clip, l.p(99.5));
        List<Series> series = new java.util.ArrayList<>();
        for (Lags l : sets) {
            double[] sorted = Stats.sorted(l.millis());
            Series s = new Series(l.name());
            int step = Math.max(1, sorted.length / 400);
            for (int k = 0; k < sorted.length; k += step) if (sorted[k] <= clip) s.add(sorted[k], (k + 1.0) / sorted.length);
            series.add(s);
        }
        lines(file, title, xLabel, "fraction of deliveries", series);
    }

    private static Graphics2D frame(BufferedImage image, String title, String xLabel, String yLabel, double maxX,
                                    double maxY) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int k = 0; k <= 5; k++) {
            double v = maxY * k / 5;
            int yy = y(v, maxY);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, yy, W - RIGHT, yy);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Stats.f(v, v < 10 ? 2 : 0), 8, yy + 4);
            if (!Double.isNaN(maxX)) {
                double xv = maxX * k / 5;
                g.drawString(Stats.f(xv, xv < 10 ? 1 : 0), x(xv, maxX) - 10, H - BOTTOM + 16);
            }
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, H - BOTTOM);
        g.drawString(xLabel, LEFT + (W - LEFT - RIGHT) / 2 - 30, H - 12);
        g.drawString(yLabel, 8, TOP - 8);
        return g;
    }

    private static void legend(Graphics2D g, int i, String name) {
        g.setColor(COLORS[i % COLORS.length]);
        g.fillRect(W - RIGHT + 12, TOP + 10 + i * 18, 12, 10);
        g.setColor(Color.BLACK);
        g.drawString(name.length() > 28 ? name.substring(0, 28) : name, W - RIGHT + 30, TOP + 19 + i * 18);
    }

    private static int x(double v, double maxX) { return (int) (LEFT + v / maxX * (W - LEFT - RIGHT)); }

    private static int y(double v, double maxY) { return (int) (H - BOTTOM - v / maxY * (H - TOP - BOTTOM)); }
}
