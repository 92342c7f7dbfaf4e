package dev.imagebatch.csv;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A valid input file of many rows, produced on demand so that it never exists in memory as a whole. */
final class GeneratedCsv extends InputStream {

    private final int rows;
    private int nextRow;
    private byte[] chunk = "serial_no,product_name,input_image_urls\n".getBytes(StandardCharsets.UTF_8);
    private int position;
    private long served;

    GeneratedCsv(int rows) {
        this.rows = rows;
    }

    static String row(int number) {
        return number + ",Product " + number + ",\"https://img.example.com/" + number + "/a.jpg, https://img.example.com/"
                + number + "/b.jpg\"\n";
    }

    long bytesServed() {
        return served;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        while (position == chunk.length) {
            if (nextRow == rows) {
                return -1;
            }
            nextRow++;
            chunk = row(nextRow).getBytes(StandardCharsets.UTF_8);
            position = 0;
        }
        int count = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, target, offset, count);
        position += count;
        served += count;
        return count;
    }
}
