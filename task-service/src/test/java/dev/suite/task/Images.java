package dev.suite.task;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Real images for tests, made with ImageIO (TIFF through TwelveMonkeys). */
public final class Images {

    private Images() {
    }

    /** A {@code width}×{@code height} picture: red left half, blue right half. */
    public static byte[] picture(String format, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, width / 2, height);
        g.setColor(Color.BLUE);
        g.fillRect(width / 2, 0, width - width / 2, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /**
     * A JPEG whose pixels are {@code width}×{@code height} but whose EXIF orientation (6: rotate 90°
     * clockwise) says the camera was turned: upright it is {@code height}×{@code width}.
     */
    public static byte[] exifRotatedJpeg(int width, int height) {
        byte[] jpeg = picture("jpg", width, height);
        byte[] exif = {
            (byte) 0xFF, (byte) 0xE1, 0x00, 0x22,              // APP1, length 34
            'E', 'x', 'i', 'f', 0x00, 0x00,                    // "Exif\0\0"
            'M', 'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,      // big-endian TIFF header, IFD at 8
            0x00, 0x01,                                        // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,    // Orientation, SHORT, count 1
            0x00, 0x06, 0x00, 0x00,                            // value 6
            0x00, 0x00, 0x00, 0x00                             // no next IFD
        };
        byte[] out = new byte[jpeg.length + exif.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(exif, 0, out, 2, exif.length);
        System.arraycopy(jpeg, 2, out, 2 + exif.length, jpeg.length - 2);
        return out;
    }

    /** A JPEG cut off after its header: a decoder starts on it and then fails. */
    public static byte[] corruptJpeg() {
        byte[] jpeg = picture("jpg", 64, 64);
        byte[] cut = new byte[Math.min(jpeg.length, 200)];
        System.arraycopy(jpeg, 0, cut, 0, cut.length);
        return cut;
    }
}
