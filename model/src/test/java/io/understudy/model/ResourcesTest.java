package io.understudy.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcesTest {
    final Resources configured = new Resources("DL360", 24, 192);

    @Test
    void counting_nothingReported_isTheConfiguration() {
        assertThat(configured.counting(null)).isEqualTo(configured);
    }

    @Test
    void counting_reportedLess_isTheSmallerOfEach() {
        assertThat(configured.counting(new Resources("DL360", 8, 256))).isEqualTo(new Resources("DL360", 8, 192));
    }

    @Test
    void counting_reportedOtherModel_isTheReportedModel() {
        assertThat(configured.counting(new Resources("DL380", 24, 192)).model()).isEqualTo("DL380");
    }

    @Test
    void counting_productNameNamingTheModel_keepsTheConfiguredModel() {
        assertThat(configured.counting(new Resources("ProLiant DL360 Gen10", 24, 192)).model()).isEqualTo("DL360");
        assertThat(configured.shortfall(new Resources("ProLiant DL360 Gen10", 24, 192))).isEmpty();
        assertThat(configured.shortfall(new Resources("ProLiant DL3600", 24, 192))).isPresent();
    }

    @Test
    void counting_unmeasuredFields_keepTheConfiguration() {
        assertThat(configured.counting(new Resources(null, 0, 0))).isEqualTo(configured);
        assertThat(configured.shortfall(new Resources(null, 0, 0))).isEmpty();
    }

    @Test
    void shortfall_namesEachDifference() {
        assertThat(configured.shortfall(new Resources("DL380", 8, 96))).contains("model DL380, not DL360; 8 cores, not 24; 96 GiB, not 192");
        assertThat(configured.shortfall(new Resources("DL360", 48, 384))).isEmpty();
    }
}
