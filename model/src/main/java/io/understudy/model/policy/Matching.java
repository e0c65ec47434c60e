package io.understudy.model.policy;

import java.util.Arrays;
import java.util.List;

/** Maximum bipartite matching (Kuhn's augmenting paths); sizes here are tens, so simplicity wins. */
final class Matching {
    private Matching() {}

    /** @param fits fits[i][j] is true when left i may take right j; returns match[i] = j or -1 */
    static int[] maximum(boolean[][] fits, int right) {
        int[] matchOfRight = new int[right];
        Arrays.fill(matchOfRight, -1);
        for (int i = 0; i < fits.length; i++) {
            augment(i, fits, matchOfRight, new boolean[right]);
        }
        int[] matchOfLeft = new int[fits.length];
        Arrays.fill(matchOfLeft, -1);
        for (int j = 0; j < right; j++) if (matchOfRight[j] >= 0) matchOfLeft[matchOfRight[j]] = j;
        return matchOfLeft;
    }

    private static boolean augment(int i, boolean[][] fits, int[] matchOfRight, boolean[] seen) {
        for (int j = 0; j < matchOfRight.length; j++) {
            if (!fits[i][j] || seen[j]) continue;
            seen[j] = true;
            if (matchOfRight[j] < 0 || augment(matchOfRight[j], fits, matchOfRight, seen)) {
                matchOfRight[j] = i;
                return true;
            }
        }
        return false;
    }

    static int size(int[] matchOfLeft) {
        return (int) Arrays.stream(matchOfLeft).filter(j -> j >= 0).count();
    }

    static <T> boolean[][] table(List<? extends T> left, List<? extends T> right, java.util.function.BiPredicate<T, T> fit) {
        boolean[][] t = new boolean[left.size()][right.size()];
        for (int i = 0; i < left.size(); i++)
            for (int j = 0; j < right.size(); j++) t[i][j] = fit.test(left.get(i), right.get(j));
        return t;
    }
}
