package dev.suite.task.processing;

import com.twelvemonkeys.imageio.plugins.bmp.BMPImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.bmp.BMPImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.bmp.CURImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.bmp.ICOImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.bmp.ICOImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStreamSpi;
import com.twelvemonkeys.imageio.stream.BufferedInputStreamImageInputStreamSpi;
import com.twelvemonkeys.imageio.stream.BufferedRAFImageInputStreamSpi;
import io.quarkus.runtime.annotations.RegisterForReflection;
import net.coobird.thumbnailator.ThumbnailParameter;

/**
 * What a native executable needs for {@link ImageProcessor}; nothing here matters in JVM mode.
 * <ul>
 * <li>{@code ImageIO.scanForPlugins()} finds the TwelveMonkeys plugins through
 * {@code META-INF/services/javax.imageio.spi.*} (included by {@code quarkus.native.resources.includes})
 * and creates each provider listed there reflectively: the providers are registered here.</li>
 * <li>Thumbnailator sets {@link ThumbnailParameter}'s scaling factors reflectively when it
 * subsamples a large image on read; without the fields it would quietly decode every pixel.</li>
 * </ul>
 */
@RegisterForReflection(targets = {
        JPEGImageReaderSpi.class, JPEGImageWriterSpi.class,
        TIFFImageReaderSpi.class, BigTIFFImageReaderSpi.class, TIFFImageWriterSpi.class, BigTIFFImageWriterSpi.class,
        BMPImageReaderSpi.class, CURImageReaderSpi.class, ICOImageReaderSpi.class, BMPImageWriterSpi.class,
        ICOImageWriterSpi.class,
        WebPImageReaderSpi.class,
        BufferedFileImageInputStreamSpi.class, BufferedRAFImageInputStreamSpi.class,
        BufferedInputStreamImageInputStreamSpi.class,
        ThumbnailParameter.class },
        // Public, in a class that is not.
        classNames = "com.twelvemonkeys.imageio.color.ProfileDeferralActivator$Spi")
final class NativeImageSupport {

    private NativeImageSupport() {
    }
}
