package io.guardstream.gateway.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.guardstream.gateway.enforce.WindowPlanner.Window;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowPlannerTest {

  @Test
  void shouldCutOverlappingWindowsSoABoundaryPhraseIsSeenWhole() {
    WindowPlanner planner = new WindowPlanner(10, 4);
    planner.append("aaaaaaaaBOMBbbbbbbbbb");
    List<String> windows = new ArrayList<>();
    for (Window w = planner.nextFull(); w != null; w = planner.nextFull()) {
      windows.add(planner.text(w));
    }
    assertThat(windows).containsExactly("aaaaaaaaBO", "aaBOMBbbbb");
    assertThat(windows).as("the phrase cut by the first boundary is whole in the second").anyMatch(text -> text.contains("BOMB"));
    assertThat(planner.text(planner.tail())).isEqualTo("bbbbbbbbb");
  }

  @Test
  void shouldReleaseUpToTheNextWindowStartAndJudgeTheTailAtTheEnd() {
    WindowPlanner planner = new WindowPlanner(10, 4);
    planner.append("0123456789abc");
    Window first = planner.nextFull();
    assertThat(first.releaseEnd()).isEqualTo(6);
    assertThat(planner.nextFull()).isNull();
    Window tail = planner.tail();
    assertThat(tail.last()).isTrue();
    assertThat(planner.text(tail)).isEqualTo("6789abc");
    assertThat(tail.releaseEnd()).isEqualTo(13);
    assertThat(planner.tail()).isNull();
  }

  @Test
  void shouldNeedNoTailWhenTheLastWindowCoveredEverything() {
    WindowPlanner planner = new WindowPlanner(10, 4);
    planner.append("0123456789");
    assertThat(planner.nextFull()).isNotNull();
    assertThat(planner.tail()).isNull();
  }

  @Test
  void shouldJudgeShortAnswersAsOneTailWindowAndEmptyOnesNotAtAll() {
    WindowPlanner shortAnswer = new WindowPlanner(400, 80);
    shortAnswer.append("Hi there.");
    assertThat(shortAnswer.nextFull()).isNull();
    assertThat(shortAnswer.text(shortAnswer.tail())).isEqualTo("Hi there.");
    assertThat(new WindowPlanner(400, 80).tail()).isNull();
  }
}
