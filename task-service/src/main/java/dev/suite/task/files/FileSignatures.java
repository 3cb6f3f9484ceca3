package dev.suite.task.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a file is, from its first bytes rather than from what its uploader declared: the content
 * type it is stored and served with, and for audio and video the one ffmpeg demuxer allowed to
 * read it. Anything else — a playlist or manifest (HLS, DASH) that would send ffmpeg to fetch
 * URLs, an HTML page declared as an image — is {@code application/octet-stream} and is not read
 * as media.
 */
public final class FileSignatures {

    /** Bytes enough to tell every format below apart (MPEG-TS: two 188-byte packets). */
    public static final int HEAD_BYTES = 512;
    public static final String UNKNOWN = "application/octet-stream";

    /** A recognised format: its content type and, for audio and video, ffmpeg's demuxer for it. */
    public record Kind(String contentType, String demuxer) {
    }

    private FileSignatures() {
    }

    public static Kind of(byte[] head) {
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return new Kind("image/png", null);
        }
        if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
            return new Kind("image/jpeg", null);
        }
        if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) {
            return new Kind("image/gif", null);
        }
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) {
            return new Kind("image/webp", null);
        }
        if (ascii(head, 0, "II*\0") || ascii(head, 0, "MM\0*")) {
            return new Kind("image/tiff", null);
        }
        if (ascii(head, 0, "BM") && head.length >= 14) {
            return new Kind("image/bmp", null);
        }
        if (ascii(head, 0, "%PDF-")) {
            return new Kind("application/pdf", null);
        }
        if (ascii(head, 4, "ftyp")) {
            boolean audio = ascii(head, 8, "M4A ") || ascii(head, 8, "M4B ");
            return new Kind(audio ? "audio/mp4" : "video/mp4", "mov");
        }
        if (startsWith(head, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return new Kind(containsAscii(head, "webm") ? "video/webm" : "video/x-matroska", "matroska");
        }
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "AVI ")) {
            return new Kind("video/x-msvideo", "avi");
        }
        if (ascii(head, 0, "RIFF") && ascii(head, 8, "WAVE")) {
            return new Kind("audio/wav", "wav");
        }
        if (ascii(head, 0, "FLV")) {
            return new Kind("video/x-flv", "flv");
        }
        if (ascii(head, 0, "OggS")) {
            return new Kind("audio/ogg", "ogg");
        }
        if (ascii(head, 0, "fLaC")) {
            return new Kind("audio/flac", "flac");
        }
        if (ascii(head, 0, "ID3")) {
            return new Kind("audio/mpeg", "mp3");
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xF6) == 0xF0) {
            return new Kind("audio/aac", "aac");
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0) {
            return new Kind("audio/mpeg", "mp3");
        }
        if (head.length > 188 && head[0] == 0x47 && head[188] == 0x47) {
            return new Kind("video/mp2t", "mpegts");
        }
        if (ascii(head, 0, "PK\3\4")) {
            return new Kind("application/zip", null);
        }
        return new Kind(UNKNOWN, null);
    }

    /** The kind of a stored file, from its first bytes. */
    public static Kind of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in.readNBytes(HEAD_BYTES));
        }
    }

    private static boolean startsWith(byte[] head, int at, int... expected) {
        if (head.length < at + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((head[at + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] head, int at, String text) {
        byte[] expected = text.getBytes(StandardCharsets.ISO_8859_1);
        return head.length >= at + expected.length
                && Arrays.equals(head, at, at + expected.length, expected, 0, expected.length);
    }

    private static boolean containsAscii(byte[] head, String text) {
        return new String(head, StandardCharsets.ISO_8859_1).contains(text);
    }
}
