package io.understudy.model.config;

/** Where a server sits: an enclosure and a bay, written {@code enc1/bay3}. */
public record Location(String enclosure, String bay) {

    /** Parses {@code enclosure/bay}; throws with the expected form when the text does not match. */
    public static Location parse(String text) {
        if (text == null) throw new IllegalArgumentException("expected a location 'enclosure/bay', got nothing");
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("expected a location 'enclosure/bay' (e.g. enc1/bay3), got '" + text + "'");
        }
        return new Location(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return enclosure + "/" + bay;
    }
}
