package dev.switchboard.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void columnsAreAsWideAsTheirWidestCellAndLinesDoNotEndInSpaces() {
    String out = new Table("KIND", "NAME", "X").add("resolver", "dns", "").add("balancer", "round_robin", "*")
        .render();
    assertThat(out).isEqualTo(
        "KIND      NAME         X\n"
            + "resolver  dns\n"
            + "balancer  round_robin  *\n");
  }

  @Test
  void rowWithTheWrongNumberOfCellsIsRejected() {
    assertThatThrownBy(() -> new Table("A", "B").add("1"))
        .hasMessage("cells: 1 (expected: 2, one per column)");
  }
}
