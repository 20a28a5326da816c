package dev.switchboard.channel.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.channel.api.resolver.ResolverProvider;
import dev.switchboard.channel.api.resolver.Target;
import dev.switchboard.channel.testing.FlawedResolverProvider.Flaw;
import java.time.Duration;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The resolver contract test catches a resolver that breaks one of its rules. */
class ResolverProviderContractTestTest {

  private static final class Contract extends ResolverProviderContractTest {
    final FlawedResolverProvider provider;

    Contract(Flaw flaw) {
      this.provider = new FlawedResolverProvider(flaw);
    }

    @Override
    protected ResolverProvider provider() {
      return provider;
    }

    @Override
    protected Target validTarget() {
      return Targets.parse("flawed:///somewhere");
    }

    @Override
    protected Optional<Target> invalidTarget() {
      return Optional.of(Target.newBuilder("flawed").original("flawed:///").build());
    }

    @Override
    protected Duration resolutionTimeout() {
      return Duration.ofMillis(300);
    }
  }

  /** Runs one contract check between the contract's own set-up and tear-down. */
  private static void assertContractFails(Flaw flaw, Check check, String messagePart) {
    Contract contract = new Contract(flaw);
    contract.startExecutors();
    try {
      ThrowingCallable run = () -> check.run(contract);
      assertThatThrownBy(run).isInstanceOf(AssertionError.class).hasMessageContaining(messagePart);
    } finally {
      contract.provider.release.countDown();
      contract.stopExecutors();
    }
  }

  @FunctionalInterface
  private interface Check {
    void run(Contract c) throws Exception;
  }

  @Test
  void wellBehavedResolverPassesEveryCheckButTheDeclaration() throws Exception {
    Contract contract = new Contract(null);
    contract.startExecutors();
    try {
      contract.schemeIsNonEmptyLowerCase();
      contract.priorityIsWithinZeroToTen();
      contract.validTargetReportsStateOrErrorWithinTimeout();
      contract.resolveNowManyTimesConcurrentlyDoesNotBlock();
      contract.closeIsIdempotentAndNothingIsReportedAfterIt();
      contract.inlineResolveNowFromClientConnDoesNotDeadlock();
      contract.invalidTargetIsRefusedWithMessageNamingIt();
    } finally {
      contract.stopExecutors();
    }
  }

  @Test
  void upperCaseSchemeFails() {
    assertContractFails(Flaw.UPPER_CASE_SCHEME, Contract::schemeIsNonEmptyLowerCase, "scheme()");
  }

  @Test
  void resolverThatNeverReportsFails() {
    assertContractFails(Flaw.SILENT, Contract::validTargetReportsStateOrErrorWithinTimeout, "expected at least 1 event(s)");
  }

  @Test
  void resolveNowThatBlocksFails() {
    assertContractFails(Flaw.BLOCKS_IN_RESOLVE_NOW, Contract::resolveNowManyTimesConcurrentlyDoesNotBlock, "resolveNow() blocks");
  }

  @Test
  void reportAfterCloseFails() {
    assertContractFails(Flaw.REPORTS_AFTER_CLOSE, Contract::closeIsIdempotentAndNothingIsReportedAfterIt, "unexpected report");
  }

  @Test
  void errorThatDoesNotNameTheTargetFails() {
    assertContractFails(Flaw.VAGUE_ERROR, Contract::invalidTargetIsRefusedWithMessageNamingIt, "flawed:///");
  }

  @Test
  void resolverThatDeadlocksOnAnInlineCallbackFromItsOwnThreadFails() {
    assertContractFails(Flaw.WAITS_FOR_ITS_OWN_RESOLUTION, Contract::inlineResolveNowFromClientConnDoesNotDeadlock,
        "resolveNow() called inline from inside a report did not return");
  }

  @Test
  void undeclaredProviderFailsTheDeclarationCheck() {
    assertContractFails(null, Contract::providerIsDeclaredInModuleInfoAndServiceFiles, "module-info");
  }
}
