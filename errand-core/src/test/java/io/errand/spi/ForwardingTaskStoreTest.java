package io.errand.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.errand.memory.MemoryStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forwarding store forwards every method of {@link TaskStore}, defaults included. */
class ForwardingTaskStoreTest {

  @Test
  void everyMethodOfTheInterfaceIsForwardedNotLeftToItsDefault() {
    List<String> missing = Arrays.stream(TaskStore.class.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> !declares(m))
        .map(Method::toString).toList();
    assertThat(missing).as("TaskStore methods ForwardingTaskStore does not forward").isEmpty();
  }

  @Test
  void theRolesAreTheWrappedStoresOwn() {
    MemoryStore memory = new MemoryStore();
    TaskStore plain = new ForwardingTaskStore(memory) {};
    assertThat(plain.tasks()).isSameAs(memory.tasks());
    assertThat(plain.groups()).isSameAs(memory.groups());
    assertThat(plain.keys()).isSameAs(memory.keys());
    assertThat(plain.controls()).isSameAs(memory.controls());
    assertThat(plain.schedules()).isEqualTo(memory.schedules());
    assertThat(plain.search()).isEqualTo(memory.search());
    assertThat(plain.history()).isEqualTo(memory.history());
    assertThat(plain.cluster()).isEqualTo(memory.cluster());
    assertThat(plain.durable()).isEqualTo(memory.durable());
    assertThat(plain.shared()).isEqualTo(memory.shared());
  }

  private static boolean declares(Method m) {
    try {
      ForwardingTaskStore.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
